// Public entry of the mirror simulator (see README.md in this folder).
export { startMirrorSim, defaultBehaviour, proxyUrl, goTime } from "./sim";
export type { MirrorSim, MirrorInfo, StartOptions, NewVersion, SumdbInfo } from "./sim";
export { createSimClock, wallClock, durationToMs } from "./clock";
export type { SimClock, Duration } from "./clock";
export { createZip, readZip } from "./zip";
export { DEFAULT_SUMDB_NAME } from "./sumdb";
export type {
  CacheControlSet,
  Fault,
  FaultEffect,
  ListOrder,
  MirrorBehaviour,
  MirrorConfig,
  MirrorStyle,
  OriginState,
  RequestKind,
  RequestLogEntry,
  Scenario,
  SimModule,
  SimVersion,
  SumdbProxyMode,
} from "./types";
