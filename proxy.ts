import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { LANG_QUERY_HEADER } from "@/lib/i18n";
import { HSTS_VALUE, NONCE_HEADER, SCHEME_HEADER, securityHeadersFor } from "@/lib/security-headers";
import type { SecurityHeaders } from "@/lib/security-headers";

// NODE_ENV is Next's build mode (inlined when the proxy is compiled), not configuration: `next dev` needs eval.
// eslint-disable-next-line no-restricted-properties
const DEV = process.env.NODE_ENV === "development";

/**
 * Refuses a URL path with a malformed %-escape (Next would answer a bare 500 while decoding route params), passes
 * `?lang=` on to server components as a header (layouts cannot read search params themselves), and sets the
 * Content-Security-Policy: a fresh nonce per page, which Next reads from the request's CSP header and puts on its
 * own scripts (nextjs.org/docs/app/guides/content-security-policy); every page is dynamically rendered already.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const security = securityHeadersFor({ pathname, scheme: request.headers.get(SCHEME_HEADER), dev: DEV });
  if (!isDecodable(pathname)) {
    const error = "malformed %-escape in the URL path";
    const refusal = pathname.startsWith("/api/")
      ? NextResponse.json({ error }, { status: 400 })
      : new NextResponse(`Bad request: ${error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
    return withSecurityHeaders(refusal, security);
  }
  const headers = new Headers(request.headers);
  if (security.nonce !== null) {
    headers.set("content-security-policy", security.policy);
    headers.set(NONCE_HEADER, security.nonce);
  } else {
    headers.delete(NONCE_HEADER);
  }
  if (!pathname.startsWith("/api/")) {
    headers.delete(LANG_QUERY_HEADER);
    const lang = request.nextUrl.searchParams.get("lang");
    if (lang) headers.set(LANG_QUERY_HEADER, lang);
  }
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), security);
}

function withSecurityHeaders(response: NextResponse, security: SecurityHeaders): NextResponse {
  response.headers.set("Content-Security-Policy", security.policy);
  if (security.hsts) response.headers.set("Strict-Transport-Security", HSTS_VALUE);
  return response;
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
