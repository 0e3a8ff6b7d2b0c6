// Whole go.mod resolutions (issue 8/11): one probe per requirement, in the background, resumed after a restart.
export * from "./resolver";
export * from "./resolution-dto";
