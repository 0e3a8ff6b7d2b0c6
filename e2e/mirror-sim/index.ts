// Public entry of the mirror simulator (see README.md in this folder).
export { startMirrorSim, defaultBehaviour, proxyUrl, goTime } from "./sim";
export type { MirrorSim, MirrorInfo, StartOptions, NewVersion } from "./sim";
export { createSimClock, wallClock, durationToMs } from "./clock";
export type { SimClock, Duration } from "./clock";
export { createZip, readZip } from "./zip";
export type {
  CacheControlSet,
  Fault,
  FaultEffect,
  ListOrder,
  MirrorBehaviour,
  MirrorConfig,
  MirrorStyle,
  RequestKind,
  RequestLogEntry,
  Scenario,
  SimModule,
  SimVersion,
} from "./types";
