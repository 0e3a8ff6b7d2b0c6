import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { LANG_QUERY_HEADER } from "@/lib/i18n";

/**
 * Refuses a URL path with a malformed %-escape (Next would answer a bare 500 while decoding route params), and
 * passes `?lang=` on to server components as a header; layouts cannot read search params themselves.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!isDecodable(pathname)) {
    const error = "malformed %-escape in the URL path";
    return pathname.startsWith("/api/")
      ? NextResponse.json({ error }, { status: 400 })
      : new NextResponse(`Bad request: ${error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  if (pathname.startsWith("/api/")) return NextResponse.next();
  const headers = new Headers(request.headers);
  headers.delete(LANG_QUERY_HEADER);
  const lang = request.nextUrl.searchParams.get("lang");
  if (lang) headers.set(LANG_QUERY_HEADER, lang);
  return NextResponse.next({ request: { headers } });
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  matcher: ["/((?!_next/|icon.svg).*)"],
};
