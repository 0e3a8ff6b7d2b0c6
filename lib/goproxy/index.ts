// The pure GOPROXY protocol core. module-path.ts and semver.ts are browser-safe; import them directly
// from client components, since this barrel also pulls in hash.ts (node:crypto, node:zlib).

export * from "./module-path";
export * from "./semver";
export * from "./version-list";
export * from "./gomod";
export * from "./retractions";
export * from "./hash";
export * from "./zip-reader";
export * from "./info";
