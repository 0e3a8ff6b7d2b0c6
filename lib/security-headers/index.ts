// Security headers: the Content-Security-Policy (nonce'd for pages, strict for data) and HSTS over HTTPS.
// Pure, so proxy.ts (Next's request interceptor) and lib/server share one definition.
export * from "./security-headers";
