import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { LISTEN_ADDRESS_KEY, LOG_BUFFER_KEY, PEER_HEADER, logBuffer } from "@/lib/server";
import { GET } from "./route";

// This file's process has no ADMIN_TOKEN: the operator is a loopback request when listening on loopback, else nobody.
const holder = globalThis as Record<symbol, unknown>;

function get(query: string, headers: Record<string, string>) {
  return GET(new NextRequest(`http://localhost/api/operator/logs${query}`, { headers }));
}

afterEach(() => {
  delete holder[LISTEN_ADDRESS_KEY];
  delete holder[LOG_BUFFER_KEY];
});

describe("GET /api/operator/logs", () => {
  it("answers 403 and no rows where there is no operator (listening beyond loopback, no token)", async () => {
    holder[LISTEN_ADDRESS_KEY] = "0.0.0.0";
    logBuffer().requests.push({ time: "2026-12-04T10:00:00.000Z", client: "203.0.113.5", method: "GET", path: "/secret-ish", status: 404, ms: 1, bytes: 2, userAgent: null });
    const res = await get("", { [PEER_HEADER]: "127.0.0.1" });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).not.toContain("203.0.113.5");
    expect(Object.keys(JSON.parse(text) as object)).toEqual(["error"]);
  });

  it("gives a loopback instance's local operator the rows, filtered; a request a proxy passed on gets 401", async () => {
    holder[LISTEN_ADDRESS_KEY] = "127.0.0.1";
    for (const status of [200, 404, 500]) logBuffer().requests.push({ time: "2026-12-04T10:00:00.000Z", client: "127.0.0.1", method: "GET", path: `/${status}`, status, ms: 1, bytes: 2, userAgent: null });
    const ok = await get("?status=4xx", { [PEER_HEADER]: "127.0.0.1" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(((await ok.json()) as { requests: { status: number }[] }).requests.map((r) => r.status)).toEqual([404]);
    expect((await get("?status=4XX", { [PEER_HEADER]: "127.0.0.1" })).status).toBe(400);
    const forwarded = await get("", { [PEER_HEADER]: "127.0.0.1", "x-forwarded-for": "198.51.100.7" });
    expect(forwarded.status).toBe(401);
    expect(forwarded.headers.get("www-authenticate")).toBe('Bearer realm="mirrorlag operator"');
  });
});
