import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("./", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: root },
      // `server-only` throws outside React Server Components; in tests every module runs on the server.
      { find: /^server-only$/, replacement: fileURLToPath(new URL("./e2e/support/server-only-stub.ts", import.meta.url)) },
    ],
  },
  test: {
    // Playwright specs (e2e/*.spec.ts) are not vitest tests.
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "app/**/*.test.ts", "e2e/mirror-sim/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
