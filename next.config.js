/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 is a native addon: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ["better-sqlite3"],
  // `next dev` opened as http://127.0.0.1:PORT never hydrates without this (see docs/toolchain.md).
  allowedDevOrigins: ["127.0.0.1"],
};

export default nextConfig;
