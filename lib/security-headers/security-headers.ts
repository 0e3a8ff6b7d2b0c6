// The headers every answer of ours carries beyond next.config.js's static ones: a Content-Security-Policy with a
// fresh nonce for pages (Next reads it from the request's CSP header and puts it on its own scripts), a strict
// policy for the JSON/text routes, and HSTS when the request reached us over HTTPS.

/** Set by lib/server/http-server.ts ("https" or "http") after removing any copy a client sent; nobody else sets it. */
export const SCHEME_HEADER = "x-mirrorlag-scheme";

/** The nonce of this request's page policy, for server components that render an inline <script> of their own. */
export const NONCE_HEADER = "x-nonce";

/** One year, subdomains included: sent only on answers to HTTPS requests (browsers ignore it over HTTP anyway). */
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

/** For answers that are data, never documents: nothing may load, nothing may frame them. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** 128 random bits, base64: unguessable per request, as a CSP nonce must be. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The policy of a page. Scripts: only ours, by nonce, and what they load ('strict-dynamic'). Styles: our
 * stylesheets and nonce'd <style> elements, no style="" attributes (React sets styles through the CSSOM, which
 * CSP does not govern). `next dev` needs eval (React's error stacks) and un-nonced inline styles (its overlay).
 */
export function pagePolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // A nonce makes the browser ignore 'unsafe-inline', so dev lists only the latter.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Route handlers (JSON, text, health) rather than pages: they get the strict policy and no nonce. */
export function isDataRoute(pathname: string): boolean {
  return pathname.startsWith("/api/") || pathname === "/api" || pathname === "/healthz";
}

export type SecurityHeaders = { policy: string; nonce: string | null; hsts: boolean };

/** What one request gets: the policy for its kind of answer, the nonce pages need, and HSTS if it came over HTTPS. */
export function securityHeadersFor(request: { pathname: string; scheme: string | null; dev: boolean }, nonce: () => string = newNonce): SecurityHeaders {
  const hsts = request.scheme === "https";
  if (isDataRoute(request.pathname)) return { policy: API_POLICY, nonce: null, hsts };
  const value = nonce();
  return { policy: pagePolicy(value, request.dev), nonce: value, hsts };
}
