// Pure derivations: stored facts + asOf -> what users read (versions, lags, retractions, events, the home page).
// Client-safe: no I/O, no node built-ins.
export * from "./derive-timeline";
export * from "./timeline-dto";
export * from "./module-state";
export * from "./home-summary";
export * from "./timeline-pages";
export * from "./facts-as-of";
