import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", "node_modules/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "bench/results/**"],
  },
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "separate-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/config.ts only." }],
    },
  },
  {
    // The config module is the one reader of process.env; tooling configs and test harnesses set up child environments.
    files: ["lib/config.ts", "instrumentation.ts", "playwright.config.ts", "e2e/**", "**/*.test.ts", ".ci/**", "drizzle.config.ts", "bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
