// The store port: what checks write, what timelines read, what retention folds, and the types they speak.
// db/ implements it; lib/ depends only on this.
export * from "./check-record";
export * from "./timeline-facts";
export * from "./store";
export * from "./probe-record";
export * from "./resolution-record";
