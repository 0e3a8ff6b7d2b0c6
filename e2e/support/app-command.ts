/**
 * How tests, the bench and the demo start the built app: through lib/server/http-server.ts, as `npm start` does
 * (it stamps each request's TCP peer, which client identity and rate limits rest on). Spawn with process.execPath.
 */
export function appServerArgs(port: number, hostname = "127.0.0.1"): string[] {
  return ["--import", "tsx", "lib/server/http-server.ts", "--port", String(port), "--hostname", hostname];
}
