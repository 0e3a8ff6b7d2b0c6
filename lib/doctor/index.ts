// The version doctor: pure derivations from a probe (diagnosis, GOPROXY chains, advice). No I/O.
export * from "./types";
