// One check of one module: the fan-out to every mirror, single-flight, the clock passed in.
export * from "./check";
