// Equal to API_POLICY in lib/security-headers (app/next-config.test.ts holds them together).
const STATIC_FILE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 is a native addon: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ["better-sqlite3"],
  // `next dev` opened as http://127.0.0.1:PORT never hydrates without this (see docs/toolchain.md).
  allowedDevOrigins: ["127.0.0.1"],
  // The /resolve form's server action takes what POST /api/resolutions takes: a go.mod and go.sum of up to 4 MiB.
  experimental: { serverActions: { bodySizeLimit: "4.5mb" } },
  // On every answer: no MIME sniffing of mirror text, no framing (clickjacking of the operator's buttons), and no
  // full URLs (module paths, probe ids) in the Referer sent to other sites. proxy.ts adds the Content-Security-Policy
  // (a nonce per page) and HSTS; the files it skips (build assets, the icon) get the strict policy of data here.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
      ...["/_next/:path*", "/icon.svg"].map((source) => ({
        source,
        headers: [{ key: "Content-Security-Policy", value: STATIC_FILE_POLICY }],
      })),
    ];
  },
};

export default nextConfig;
