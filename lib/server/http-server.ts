// The HTTP server in front of Next (`npm start`, the demo, the tests): Next's route handlers cannot see the TCP
// socket, so this server hands the peer address on in a header only it sets, after removing any copy a client sent
// (Next 16's custom-server support: nextjs.org/docs/app/guides/custom-server). Everything else is Next's.
//
// Usage: node --import tsx lib/server/http-server.ts [--port 3000] [--hostname 127.0.0.1] [--dev]

import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { LISTEN_ADDRESS_KEY, stampPeer } from "./client-identity";
import { getConfig } from "./config";
import { stampScheme } from "./forwarded-proto";
import { createReadGate } from "./read-budget";
import { startRequestLog } from "./request-log";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: "string", short: "p", default: "3000" }, hostname: { type: "string", short: "H", default: "127.0.0.1" }, dev: { type: "boolean", default: false } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--port must be a port number, got ${JSON.stringify(values.port)}`);
  const hostname = values.hostname;
  // Where we listen, for the operator rule (a token-less instance bound to loopback trusts local requests).
  (globalThis as Record<symbol, unknown>)[LISTEN_ADDRESS_KEY] = hostname;
  // Reads are budgeted here, before Next: a refused read must cost nothing worth flooding (lib/server/read-budget.ts).
  const { readRateLimitPerMinute, trustProxy } = getConfig();
  const reads = createReadGate({ limit: readRateLimitPerMinute, trustProxy });
  // One JSON line per request on stdout, and the operator's ring of recent requests (lib/server/request-log.ts).
  const requestLog = startRequestLog();
  const app = next({ dev: values.dev, hostname, port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    stampPeer(req);
    stampScheme(req);
    // Logged first, so a read refused by its budget is a line (and a row of the operator's view) too.
    requestLog.log(req, res);
    if (reads.refuse(req, res)) return;
    void handle(req, res);
  });
  if (values.dev) {
    const upgrade = app.getUpgradeHandler();
    server.on("upgrade", (req, socket, head) => {
      stampPeer(req);
      stampScheme(req);
      void upgrade(req, socket, head);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  console.log(`mirrorlag: listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}${values.dev ? " (development)" : ""}`);
}

main().catch((err: unknown) => {
  // A ConfigError already says "mirrorlag: invalid configuration: …".
  const message = err instanceof Error ? err.message : String(err);
  console.error(message.startsWith("mirrorlag:") ? message : `mirrorlag: ${message}`);
  process.exit(1);
});
