// The React-bound half of the UI helpers: query keys and options, the client clock. Only components import it.
export * from "./client-clock";
export * from "./query-options";
