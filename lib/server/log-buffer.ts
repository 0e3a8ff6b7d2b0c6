// The operator's view of recent traffic: bounded rings of the last requests and errors, kept on globalThis because
// our HTTP server (lib/server/http-server.ts, which writes them) and Next's route handlers (which read them) run in
// one process but load separate copies of this module. No pino here: this file is bundled by Next.

import { z } from "zod";
import { clientKey } from "./rate-limit";
import { getConfig } from "./config";

export type LoggedRequest = {
  time: string;
  client: string;
  method: string;
  /** Path and query, token-like query values redacted. */
  path: string;
  status: number;
  ms: number;
  bytes: number;
  userAgent: string | null;
};

export type LoggedError = {
  time: string;
  client: string | null;
  method: string | null;
  path: string | null;
  /** What failed: a route handler, a page render, a server action (Next's routeType), or our server itself. */
  source: string;
  message: string;
};

/** The newest `capacity` items; older ones are dropped as new ones arrive. */
export type Ring<T> = { push(item: T): void; /** Newest first. */ items(): T[]; size(): number; readonly capacity: number };

export function createRing<T>(capacity: number): Ring<T> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a ring holds at least one item, got ${capacity}`);
  const slots: T[] = [];
  let next = 0;
  return {
    capacity,
    push(item) {
      if (slots.length < capacity) slots.push(item);
      else slots[next] = item;
      next = (next + 1) % capacity;
    },
    items() {
      // Once full, `next` is the oldest slot: read backwards from the newest.
      const out: T[] = [];
      for (let i = 1; i <= slots.length; i++) out.push(slots[(next - i + slots.length * 2) % slots.length] as T);
      return out;
    },
    size: () => slots.length,
  };
}

/**
 * Build assets served without error (Next's hashed files, the icon) stay out of the operator's ring, or every page
 * view would push a dozen of them in; stdout still has one line for each.
 */
export function keptForOperator(request: Pick<LoggedRequest, "path" | "status">): boolean {
  return request.status >= 400 || !(request.path.startsWith("/_next/static/") || request.path === "/icon.svg" || request.path.startsWith("/icon.svg?"));
}

export const REQUEST_RING_SIZE = 1000;
export const ERROR_RING_SIZE = 200;

/** Where an error goes besides the ring: our HTTP server installs its JSON logger; without it, stderr. */
export type ErrorSink = (entry: LoggedError, error: unknown) => void;

export type LogBuffer = { requests: Ring<LoggedRequest>; errors: Ring<LoggedError>; sink: ErrorSink | null };

export const LOG_BUFFER_KEY = Symbol.for("mirrorlag.logBuffer");

/** The process's buffer, created on first use by whichever side gets there first. */
export function logBuffer(): LogBuffer {
  const holder = globalThis as Record<symbol, unknown>;
  holder[LOG_BUFFER_KEY] ??= { requests: createRing<LoggedRequest>(REQUEST_RING_SIZE), errors: createRing<LoggedError>(ERROR_RING_SIZE), sink: null } satisfies LogBuffer;
  return holder[LOG_BUFFER_KEY] as LogBuffer;
}

export const STATUS_CLASSES = ["all", "2xx", "3xx", "4xx", "5xx"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export function inStatusClass(status: number, wanted: StatusClass): boolean {
  return wanted === "all" || `${Math.floor(status / 100)}xx` === wanted;
}

/** What GET /api/operator/logs answers and /operator shows: newest first, requests filtered by status class. */
export function recentLogs(buffer: LogBuffer, options: { status: StatusClass; limit: number }): { requests: LoggedRequest[]; errors: LoggedError[]; kept: { requests: number; errors: number } } {
  return {
    requests: buffer.requests.items().filter((r) => inStatusClass(r.status, options.status)).slice(0, options.limit),
    errors: buffer.errors.items().slice(0, options.limit),
    kept: { requests: buffer.requests.capacity, errors: buffer.errors.capacity },
  };
}

const logQuerySchema = z.object({
  status: z.enum(STATUS_CLASSES, { error: `"status" must be one of ${STATUS_CLASSES.join(", ")}` }).default("all"),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, '"limit" must be a whole number from 1 to 1000')
    .transform(Number)
    .refine((n) => n >= 1 && n <= REQUEST_RING_SIZE, '"limit" must be a whole number from 1 to 1000')
    .default(REQUEST_RING_SIZE),
});

/** ?status=4xx&limit=50 of GET /api/operator/logs and /operator: which rows, at most how many. */
export function parseLogQuery(params: { get(name: string): string | null }): { ok: true; value: { status: StatusClass; limit: number } } | { ok: false; error: string } {
  const parsed = logQuerySchema.safeParse({ status: params.get("status") ?? undefined, limit: params.get("limit") ?? undefined });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.issues[0]?.message ?? "invalid query" };
}

export const REDACTED = "[redacted]";

// Query parameters whose value is a credential in someone's API (OAuth, signed URLs, sessions).
const SECRET_PARAM = /token|secret|passw|pwd|auth|session|cookie|signature|^sig$|^key$|api[-_]?key|^code$|credential/i;

/** Every spelling of a secret that could reach a log line: as is, URL-encoded, JSON-escaped. */
function spellings(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])].filter((s) => s.length > 0);
}

/** `text` with every occurrence of each secret replaced by [redacted]. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) for (const spelling of spellings(secret)) out = out.split(spelling).join(REDACTED);
  return out;
}

/** A request target for the log: the path as sent, token-like query values and the secrets replaced. */
export function redactTarget(target: string, secrets: readonly string[]): string {
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? null : target.slice(q + 1);
  const parts = query === null ? [] : query.split("&").map((pair) => {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, " "));
    } catch {
      // a malformed escape: judge the name as sent
    }
    return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=${REDACTED}` : pair;
  });
  return redactSecrets(query === null ? path : `${path}?${parts.join("&")}`, secrets);
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 2000);

/** An error's message for the log, and its digest when Next gave it one (what the visitor's error page shows). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const digest = (error as Error & { digest?: unknown }).digest;
    return oneLine(`${error.name}: ${error.message}${typeof digest === "string" ? ` (digest ${digest})` : ""}`);
  }
  return oneLine(String(error));
}

type NextRequestInfo = { path: string; method: string; headers: Record<string, string | string[] | undefined> };
type NextErrorContext = { routerKind?: string; routePath?: string; routeType?: string };

/** For instrumentation's onRequestError: Next caught an error in a route handler, a render or a server action. */
export function reportRequestError(error: unknown, request: NextRequestInfo, context: NextErrorContext, now: Date = new Date()): LoggedError {
  const config = getConfig();
  const secrets = config.adminToken === null ? [] : [config.adminToken];
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(", ") : (value ?? null);
  };
  const entry: LoggedError = {
    time: now.toISOString(),
    client: clientKey({ get: header }, config.trustProxy),
    method: request.method,
    path: redactTarget(request.path, secrets),
    source: context.routeType ?? "request",
    message: redactSecrets(errorMessage(error), secrets),
  };
  recordError(entry, error);
  return entry;
}

/** Keeps an error for the operator and writes it out (as JSON through our server's logger when it runs). */
export function recordError(entry: LoggedError, error: unknown): void {
  const buffer = logBuffer();
  buffer.errors.push(entry);
  if (buffer.sink) buffer.sink(entry, error);
  else console.error(JSON.stringify({ level: "error", ...entry }));
}
