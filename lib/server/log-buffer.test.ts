import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LOG_BUFFER_KEY, PEER_HEADER, logBuffer, reportRequestError } from "./index";
import type { LoggedError } from "./log-buffer";

const TOKEN = "log-buffer-test-token-0123456789";

beforeAll(() => {
  // getConfig() is read lazily and once per process (a vitest fork per file): this file's instance has a token.
  process.env.ADMIN_TOKEN = TOKEN;
});

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[LOG_BUFFER_KEY];
});

describe("errors Next reports (instrumentation's onRequestError)", () => {
  it("are kept for the operator with the client and route, token scrubbed, and handed to the installed logger", () => {
    const sunk: [LoggedError, unknown][] = [];
    logBuffer().sink = (entry, error) => void sunk.push([entry, error]);
    const error = Object.assign(new Error(`database said no to ${TOKEN}`), { digest: "123" });
    const entry = reportRequestError(error, { path: `/api/x?token=${TOKEN}`, method: "POST", headers: { [PEER_HEADER]: "::ffff:127.0.0.9", cookie: `mirrorlag_operator=${TOKEN}` } }, { routeType: "route" }, new Date("2026-12-04T10:00:00Z"));
    expect(entry).toEqual({ time: "2026-12-04T10:00:00.000Z", client: "127.0.0.9", method: "POST", path: "/api/x?token=[redacted]", source: "route", message: "Error: database said no to [redacted] (digest 123)" });
    expect(logBuffer().errors.items()).toEqual([entry]);
    expect(sunk).toEqual([[entry, error]]);
  });

  it("live on globalThis: a second copy of the module (Next's bundle next to our server's) sees the same buffer", async () => {
    logBuffer().errors.push({ time: "t", client: null, method: null, path: null, source: "server", message: "m" });
    vi.resetModules();
    const fresh = await import("./log-buffer");
    expect(fresh.logBuffer).not.toBe(logBuffer);
    expect(fresh.logBuffer().errors.items().map((e) => e.message)).toEqual(["m"]);
  });
});
