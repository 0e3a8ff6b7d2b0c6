// The browser-safe half of the protocol core, for client components and client-safe capabilities:
// everything but the HTTP client and the h1 hashes (which need node:crypto and node:zlib).
export * from "./module-path";
export * from "./semver";
export * from "./version-list";
export * from "./gomod";
export * from "./gomod-main";
export * from "./go-sum";
export * from "./retractions";
export * from "./info";
