// The server edge and composition root: configuration, the service the adapters call, start-up, request
// input and rate limits. The one place that wires a db/ store in.
import "server-only";

export * from "./config";
export * from "./rate-limit";
export * from "./request-input";
export * from "./service";
export * from "./service-instance";
export * from "./startup";
export * from "./open-store";
export * from "./client-identity";
export * from "./operator";
export * from "./operator-guard";
export * from "./operator-request";
export * from "./health";
export * from "./user-work-refusal";
export * from "./log-buffer";
