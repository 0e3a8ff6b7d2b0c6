// One JSON line per HTTP request (pino, to stdout), written by our HTTP server when the response is done, and the
// same request kept in the operator's ring (lib/server/log-buffer.ts). Credentials never reach a line: the headers
// that carry them are redacted by path, and the ADMIN_TOKEN is replaced wherever else it turns up in the text.

import type { IncomingMessage, ServerResponse } from "node:http";
import pino from "pino";
import type { DestinationStream, Logger } from "pino";
import type { TrustProxy } from "./client-identity";
import { getConfig } from "./config";
import type { LogLevel } from "./config";
import { REDACTED, keptForOperator, logBuffer, redactSecrets, redactTarget } from "./log-buffer";
import type { LogBuffer, LoggedRequest } from "./log-buffer";
import { clientKey } from "./rate-limit";

/** Headers that carry credentials, wherever a line holds headers (they are only logged at debug and trace). */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["proxy-authorization"]',
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
  "res.headers.authorization",
];

/** The JSON logger: ISO times, level names, credentials redacted; `secrets` are scrubbed from the final text too. */
export function createLogger(options: { level: LogLevel; secrets: readonly string[]; destination?: DestinationStream }): Logger {
  const secrets = options.secrets.filter((s) => s !== "");
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      // The token can turn up anywhere (a path, a user agent, an error message): no line leaves with it.
      hooks: secrets.length > 0 ? { streamWrite: (line) => redactSecrets(line, secrets) } : {},
    },
    // Synchronous: lines interleave in order with the start-up messages and are not lost when the process exits.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A request's level: the server's own failures are errors, refusals warnings, the rest information. */
export function levelOf(status: number): "error" | "warn" | "info" {
  return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
}

type Headers = IncomingMessage["headers"];

const headerBag = (headers: Headers) => ({
  get(name: string): string | null {
    const value = headers[name];
    return Array.isArray(value) ? value.join(", ") : (value ?? null);
  },
});

function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

export type RequestLogDeps = { logger: Logger; buffer: LogBuffer; trustProxy: TrustProxy; secrets: readonly string[]; now?: () => number; clock?: () => Date };

/** The hook our HTTP server calls first for every request: it counts the body bytes and logs once the response ends. */
export function createRequestLog(deps: RequestLogDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const now = deps.now ?? (() => performance.now());
  const clock = deps.clock ?? (() => new Date());
  return (req, res) => {
    const started = now();
    const time = clock();
    // Read now: Next may rewrite req.url while it routes.
    const target = req.url ?? "/";
    let bytes = 0;
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      bytes += chunkBytes(chunk, rest[0]);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk !== "function") bytes += chunkBytes(chunk, rest[0]);
      return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof res.end;
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const entry: LoggedRequest = {
        time: time.toISOString(),
        client: clientKey(headerBag(req.headers), deps.trustProxy),
        method: req.method ?? "?",
        path: redactTarget(target, deps.secrets),
        status: res.statusCode,
        ms: Math.round((now() - started) * 10) / 10,
        bytes,
        userAgent: req.headers["user-agent"] ?? null,
      };
      if (entry.userAgent !== null) entry.userAgent = redactSecrets(entry.userAgent, deps.secrets);
      if (keptForOperator(entry)) deps.buffer.requests.push(entry);
      const level = levelOf(entry.status);
      if (!deps.logger.isLevelEnabled(level)) return;
      const { time: _time, ...fields } = entry;
      const detail = deps.logger.isLevelEnabled("debug") ? { req: { headers: { ...req.headers } }, res: { headers: res.getHeaders() } } : {};
      deps.logger[level]({ ...fields, ...(aborted ? { aborted: true } : {}), ...detail }, "request");
    };
    res.once("finish", () => finish(false));
    // The client went away before the response was complete.
    res.once("close", () => finish(!res.writableFinished));
  };
}

/**
 * For lib/server/http-server.ts: the logger on stdout at LOG_LEVEL, installed as the error sink of the process's
 * buffer (so errors Next reports through instrumentation come out as JSON too), and the per-request hook.
 */
export function startRequestLog(): { logger: Logger; log: (req: IncomingMessage, res: ServerResponse) => void } {
  const config = getConfig();
  const secrets = config.adminToken === null ? [] : [config.adminToken];
  const logger = createLogger({ level: config.logLevel, secrets });
  const buffer = logBuffer();
  buffer.sink = (entry, error) => {
    const { time: _time, message, ...fields } = entry;
    logger.error({ ...fields, err: error instanceof Error ? { type: error.name, message, stack: error.stack } : { message } }, "error");
  };
  return { logger, log: createRequestLog({ logger, buffer, trustProxy: config.trustProxy, secrets }) };
}

