// Client-safe helpers for pages and components: URLs, URL state, formatting, query options.
// What needs React (query options, the client clock) is the second face, ./react: server code must not load it.
export * from "./format";
export * from "./mirror-colour";
export * from "./mirror-match";
export * from "./module-query";
export * from "./routes";
export * from "./url-state";
