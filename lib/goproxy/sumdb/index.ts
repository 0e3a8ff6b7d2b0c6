// The checksum database (sum.golang.org and its proxies): signed notes, the transparent log, verifying a
// lookup as the go command does, and an in-memory database for the simulator and tests. Server-side only.

export * from "./note";
export * from "./tlog";
export * from "./lookup";
export * from "./memory-log";
