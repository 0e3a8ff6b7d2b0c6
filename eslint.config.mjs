import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// The capabilities under lib/ that run in the browser too: they must not reach server-only ones.
const CLIENT_SAFE = ["./lib/timeline", "./lib/web", "./lib/report", "./lib/store", "./lib/i18n", "./lib/doctor"];
const SERVER_ONLY = ["./lib/server", "./lib/check", "./lib/polling", "./lib/probe", "./lib/resolve"];

/** Which way the arrows of the house may point (architecture.md): data walks one way. */
const layerZones = [
  { target: "./lib", from: "./app", message: "lib/ never imports app/." },
  { target: "./db", from: "./app", message: "db/ never imports app/." },
  { target: "./app", from: "./db", message: "app/ reads the store through lib/server, never db/ directly." },
  { target: "./lib/goproxy", from: "./lib", except: ["./goproxy"], message: "lib/goproxy is the protocol core: it depends on nothing else in lib/." },
  { target: "./lib/store", from: "./lib", except: ["./store", "./goproxy"], message: "lib/store is the port: it speaks only its own types." },
  ...CLIENT_SAFE.map((target) => ({ target, from: SERVER_ONLY, message: "A client-safe capability must not import a server-only one." })),
];

/** lib/server composes the other capabilities; they never import it (their integration tests may). */
const compositionZone = {
  target: ["./lib/check", "./lib/polling", "./lib/timeline", "./lib/store", "./lib/report", "./lib/web", "./lib/i18n", "./lib/doctor", "./lib/probe", "./lib/resolve"],
  from: "./lib/server",
  message: "lib/server is the composition root: the capabilities it composes do not import it.",
};

/** The store seam: lib/ speaks the port (lib/store); only lib/server/open-store.ts wires a db/ implementation in. */
const storeZone = { target: "./lib", from: "./db", message: "lib/ depends on the store port (@/lib/store); only lib/server/open-store.ts imports db/." };

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
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through lib/server/config.ts only." }],
      "import/no-restricted-paths": ["error", { zones: [...layerZones, compositionZone, storeZone] }],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/*/*", "!@/lib/goproxy/browser", "!@/lib/i18n/server", "!@/lib/web/react"],
              message: "Import a capability through its public face, @/lib/<capability> (or its second face: @/lib/goproxy/browser, @/lib/i18n/server, @/lib/web/react).",
            },
          ],
        },
      ],
    },
  },
  {
    // Inside a capability folder, siblings are imported relatively; another capability only through its index.
    files: ["lib/*/*.ts", "lib/*/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/*/*", "!@/lib/goproxy/browser", "!@/lib/i18n/server", "!@/lib/web/react", "../*"],
              message: "Import another capability through its public face, @/lib/<capability>.",
            },
          ],
        },
      ],
    },
  },
  {
    // Client-safe capabilities take the browser face of the protocol core (the full one needs node:crypto).
    files: ["lib/timeline/**", "lib/web/**", "lib/report/**", "lib/i18n/**", "lib/store/**", "lib/doctor/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "@/lib/goproxy", message: "Client-safe code imports @/lib/goproxy/browser." }],
          patterns: [{ group: ["@/lib/*/*", "!@/lib/goproxy/browser", "../*"], message: "Import another capability through its public face, @/lib/<capability>." }],
        },
      ],
    },
  },
  {
    files: ["lib/server/open-store.ts"],
    rules: { "import/no-restricted-paths": ["error", { zones: [...layerZones, compositionZone] }] },
  },
  {
    // Integration tests drive the composed service (lib/server) against the simulator.
    files: ["lib/**/*.test.ts"],
    rules: { "import/no-restricted-paths": ["error", { zones: [...layerZones, storeZone] }] },
  },
  {
    // The config module is the one reader of process.env; tooling configs and test harnesses set up child environments.
    files: ["lib/server/config.ts", "instrumentation.ts", "playwright.config.ts", "e2e/**", "**/*.test.ts", ".ci/**", "drizzle.config.ts", "bench/**"],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
