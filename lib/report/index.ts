// Reports to paste elsewhere (Markdown for bug trackers). Client-safe.
export * from "./markdown-report";
export * from "./markdown-text";
export * from "./probe-report";
