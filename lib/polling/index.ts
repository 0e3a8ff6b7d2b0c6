// The schedule of re-checks (the poller) and the per-mirror request budget it keeps.
export * from "./poller";
export * from "./mirror-rate-cap";
export * from "./stored-poller";
export * from "./work-budget";
