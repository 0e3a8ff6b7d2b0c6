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
  // full URLs (module paths, probe ids) in the Referer sent to other sites.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
        ],
      },
    ];
  },
};

export default nextConfig;
