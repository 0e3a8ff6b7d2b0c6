// English and Simplified Chinese: the catalog, locale negotiation and the client provider.
// Server components read the request locale through ./server.
export * from "./locales";
export * from "./messages";
export * from "./i18n-provider";
export * from "./server-header";
