// The GOPROXY protocol core: pure protocol knowledge and the one HTTP client per mirror. No database, no React.
// Client components import ./browser instead: this face also pulls in node:crypto and node:zlib.
export * from "./browser";
export * from "./hash";
export * from "./zip-reader";
export * from "./client";
export * from "./sumdb";
