import { createServer } from "node:http";
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { stampPeer } from "./client-identity";
import type { TrustProxy } from "./client-identity";
import { LOG_LEVELS } from "./config";
import type { LogLevel } from "./config";
import { createRing, inStatusClass, recentLogs, redactTarget } from "./log-buffer";
import type { LogBuffer, LoggedRequest } from "./log-buffer";
import { createLogger, createRequestLog, levelOf } from "./request-log";

const TOKEN = "s3cret+token/with=odd&chars-0123456789";

type Captured = { lines: string[]; buffer: LogBuffer; url: string; finished: () => number; close: () => Promise<void> };

let running: Captured | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

/** A real HTTP server with the hook in front, as lib/server/http-server.ts runs it, writing lines to an array. */
async function serve(level: LogLevel, handler: (url: string, res: ServerResponse) => void, trustProxy: TrustProxy = { kind: "off" }): Promise<Captured> {
  const lines: string[] = [];
  const logger = createLogger({ level, secrets: [TOKEN], destination: { write: (line: string) => void lines.push(line) } });
  const buffer: LogBuffer = { requests: createRing(5), errors: createRing(2), sink: null };
  const log = createRequestLog({ logger, buffer, trustProxy, secrets: [TOKEN] });
  let finished = 0;
  const server: Server = createServer((req, res) => {
    stampPeer(req);
    log(req, res);
    // After the hook's own listener: counts requests whose line has been written.
    res.once("finish", () => finished++);
    handler(req.url ?? "/", res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  running = { lines, buffer, url, finished: () => finished, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  return running;
}

/** The lines written so far, once the response's "finish" has run (it fires after the client has the body). */
async function settled(captured: Captured, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100 && captured.finished() < count; i++) await new Promise((r) => setTimeout(r, 10));
  return captured.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("the request log", () => {
  it("writes one JSON line per request with the client, route, status, duration, bytes and user agent", async () => {
    const app = await serve("info", (_url, res) => {
      res.statusCode = 201;
      res.write("hello ");
      res.end(Buffer.from("wörld"));
    });
    const res = await fetch(`${app.url}/m/example.com/mod?tab=versions`, { headers: { "user-agent": "test-agent/1.0" } });
    expect(await res.text()).toBe("hello wörld");
    const [line, ...rest] = await settled(app, 1);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: "info", msg: "request", client: "127.0.0.1", method: "GET", path: "/m/example.com/mod?tab=versions", status: 201, bytes: 12, userAgent: "test-agent/1.0" });
    expect(typeof line?.time === "string" && !Number.isNaN(Date.parse(line.time))).toBe(true);
    expect(typeof line?.ms === "number" && line.ms >= 0).toBe(true);
    // Headers only at debug: an info line carries none.
    expect(line).not.toHaveProperty("req");
    expect(app.buffer.requests.items()[0]).toMatchObject({ client: "127.0.0.1", status: 201, path: "/m/example.com/mod?tab=versions" });
  });

  it("names the client as the rate limiter does: the forwarded address only through trusted proxies, IPv6 per /64", async () => {
    const trusted = await serve("info", (_url, res) => res.end("ok"), { kind: "hops", hops: 1 });
    await fetch(`${trusted.url}/`, { headers: { "x-forwarded-for": "2001:db8:1:2:3:4:5:6" } });
    expect((await settled(trusted, 1))[0]).toMatchObject({ client: "2001:db8:1:2::/64" });
    await trusted.close();
    const untrusted = await serve("info", (_url, res) => res.end("ok"));
    await fetch(`${untrusted.url}/`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect((await settled(untrusted, 1))[0]).toMatchObject({ client: "127.0.0.1" });
  });

  it("never writes the token: not from Authorization, Cookie or Set-Cookie, a query, the path or the user agent, even at trace", async () => {
    const app = await serve("trace", (_url, res) => {
      res.setHeader("set-cookie", `mirrorlag_operator=${TOKEN}; HttpOnly`);
      res.end(`body mentions ${TOKEN}`);
    });
    const cookie = `mirrorlag_operator=${TOKEN}; theme=dark`;
    await fetch(`${app.url}/api/operator/logs`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await fetch(`${app.url}/operator`, { headers: { cookie } });
    await fetch(`${app.url}/x/${encodeURIComponent(TOKEN)}?access_token=abc123&q=${encodeURIComponent(TOKEN)}&page=2`, { headers: { "user-agent": `curl ${TOKEN}` } });
    const lines = await settled(app, 3);
    expect(lines).toHaveLength(3);
    const text = app.lines.join("");
    for (const spelling of [TOKEN, encodeURIComponent(TOKEN), "abc123", "theme=dark"]) expect(text).not.toContain(spelling);
    // The headers are there at trace, their credentials replaced.
    expect(lines[0]).toMatchObject({ req: { headers: { authorization: "[redacted]" } }, res: { headers: { "set-cookie": "[redacted]" } } });
    expect(lines[1]).toMatchObject({ req: { headers: { cookie: "[redacted]" } } });
    expect(lines[2]).toMatchObject({ path: "/x/[redacted]?access_token=[redacted]&q=[redacted]&page=2", userAgent: "curl [redacted]" });
    expect(JSON.stringify(app.buffer.requests.items())).not.toContain(TOKEN);
  });

  it("leaves build assets served without error out of the operator's ring, not out of stdout", async () => {
    const app = await serve("info", (url, res) => {
      res.statusCode = url.includes("missing") ? 404 : 200;
      res.end("x");
    });
    for (const path of ["/_next/static/chunks/a.js", "/icon.svg?v=1", "/_next/static/missing.js", "/operator"]) await fetch(`${app.url}${path}`);
    const lines = await settled(app, 4);
    expect(lines.map((l) => l.path)).toEqual(["/_next/static/chunks/a.js", "/icon.svg?v=1", "/_next/static/missing.js", "/operator"]);
    expect(app.buffer.requests.items().map((r) => r.path)).toEqual(["/operator", "/_next/static/missing.js"]);
  });

  it("writes 5xx at error and 4xx at warn, and only lines at or above LOG_LEVEL", async () => {
    const statuses = [200, 302, 404, 429, 500, 503];
    expect(statuses.map(levelOf)).toEqual(["info", "info", "warn", "warn", "error", "error"]);
    const expected: Record<LogLevel, number[]> = { trace: statuses, debug: statuses, info: statuses, warn: [404, 429, 500, 503], error: [500, 503], fatal: [], silent: [] };
    for (const level of LOG_LEVELS) {
      const app = await serve(level, (url, res) => {
        res.statusCode = Number(url.slice(1));
        res.end();
      });
      for (const status of statuses) await fetch(`${app.url}/${status}`, { redirect: "manual" });
      const lines = await settled(app, statuses.length);
      expect(lines.map((l) => l.status), level).toEqual(expected[level]);
      // The operator's ring keeps every request whatever goes to stdout (it holds 5 here: the newest 5).
      expect(app.buffer.requests.items().map((r) => r.status), level).toEqual([...statuses].reverse().slice(0, 5));
      await app.close();
      running = null;
    }
  });
});

describe("the operator's ring", () => {
  it("keeps the newest items up to its capacity, newest first, however many arrive", () => {
    const ring = createRing<number>(3);
    expect(ring.items()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.items()).toEqual([2, 1]);
    for (let i = 3; i <= 100_000; i++) ring.push(i);
    expect(ring.size()).toBe(3);
    expect(ring.items()).toEqual([100_000, 99_999, 99_998]);
    expect(() => createRing(0)).toThrow("a ring holds at least one item, got 0");
  });

  it("filters requests by status class and caps how many are returned", () => {
    const buffer: LogBuffer = { requests: createRing<LoggedRequest>(10), errors: createRing(10), sink: null };
    for (const status of [200, 204, 301, 404, 429, 500]) buffer.requests.push({ time: "t", client: "c", method: "GET", path: `/${status}`, status, ms: 1, bytes: 0, userAgent: null });
    expect(recentLogs(buffer, { status: "4xx", limit: 100 }).requests.map((r) => r.status)).toEqual([429, 404]);
    expect(recentLogs(buffer, { status: "all", limit: 2 }).requests.map((r) => r.status)).toEqual([500, 429]);
    expect(recentLogs(buffer, { status: "3xx", limit: 100 }).kept).toEqual({ requests: 10, errors: 10 });
    expect(inStatusClass(599, "5xx")).toBe(true);
    expect(inStatusClass(600, "5xx")).toBe(false);
  });

  it("redacts token-like query values by name, keeping the rest as sent", () => {
    expect(redactTarget("/a?token=x&password=y&sig=z&api_key=k&page=1&q=go", [])).toBe("/a?token=[redacted]&password=[redacted]&sig=[redacted]&api_key=[redacted]&page=1&q=go");
    expect(redactTarget("/a?flag&x=%zz", [])).toBe("/a?flag&x=%zz");
    expect(redactTarget("/plain", ["secret-value"])).toBe("/plain");
  });
});
