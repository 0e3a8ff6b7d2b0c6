// The version doctor: pure derivations from a probe (diagnosis, GOPROXY chains, advice). No I/O.
export * from "./types";
export * from "./probe-dto";
export * from "./server-messages";
export * from "./diagnose";
export { goprivatePattern } from "./diagnosis-text";
export * from "./chains";
export * from "./advice";
export * from "./parse-go-error";
