// Probing one module version on every mirror (I/O) and recording it; the doctor derives from what this stores.
export * from "./run-probe";
export * from "./prober";
