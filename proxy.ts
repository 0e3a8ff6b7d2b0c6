import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { LANG_QUERY_HEADER } from "@/lib/i18n/server-header";

/** Passes `?lang=` on to server components as a header; layouts cannot read search params themselves. */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.delete(LANG_QUERY_HEADER);
  const lang = request.nextUrl.searchParams.get("lang");
  if (lang) headers.set(LANG_QUERY_HEADER, lang);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/|api/|icon.svg).*)"],
};
