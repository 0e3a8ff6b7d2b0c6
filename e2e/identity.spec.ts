import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { requestFrom } from "./support/loopback-client";

/*
 * Who is asking (issue 9/11): an app started the way `npm start` starts it (no TRUST_PROXY) limits clients by their TCP
 * peer. Real loopback addresses (127.0.0.2, 127.0.0.3, … are all loopback on Linux) stand in for distinct clients;
 * made-up X-Forwarded-For values and a forged peer header change nothing.
 */

const PORT = 3113;
const LIMIT = 5;
const MODULE = "github.com/identity-test/mod";

let sim: MirrorSim;
let app: AppProcess;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-identity-"));
  sim = await startMirrorSim({
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: [{ path: MODULE, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${MODULE}\n\ngo 1.21\n` }] }],
    mirrors: [{ name: "ref", style: "proxy.golang.org" }],
  });
  // TRUST_PROXY empty: the default, whatever app-process sets for the other specs.
  app = startAppProcess(PORT, { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: "ref", DATABASE_PATH: join(dir, "identity.db"), RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: "" });
  await waitForApp(app);
});

test.afterAll(async () => {
  app.child.kill("SIGTERM");
  await exited(app.child);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** POST /api/checks from a chosen loopback source address, with whatever headers a client likes to send. */
function check(from: string, headers: Record<string, string> = {}): Promise<number> {
  const body = JSON.stringify({ module: MODULE });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: PORT, path: "/api/checks", method: "POST", localAddress: from, headers: { "content-type": "application/json", "content-length": String(body.length), ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("a made-up X-Forwarded-For per request does not dodge the limit; the peer is the client", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 5; i++) statuses.push(await check("127.0.0.2", { "x-forwarded-for": `198.51.100.${i + 1}`, "x-real-ip": `198.51.100.${i + 1}` }));
  expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
  expect(statuses.slice(LIMIT)).toEqual([429, 429, 429, 429, 429]);
});

test("a forged peer header is replaced by the real peer", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 2; i++) statuses.push(await check("127.0.0.3", { "x-mirrorlag-peer": `203.0.113.${i + 1}`, "X-Mirrorlag-Peer": "203.0.113.250" }));
  expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
  expect(statuses.slice(LIMIT)).toEqual([429, 429]);
});

test("one busy client does not lock out the others: each address has its own budget", async () => {
  for (let i = 0; i < LIMIT + 3; i++) await check("127.0.0.4");
  expect(await check("127.0.0.4")).toBe(429);
  for (const other of ["127.0.0.5", "127.0.0.6", "127.0.0.7"]) expect(await check(other), other).toBe(200);
});

test("GET /healthz answers anyone, cheaply: the database takes a write, no poller configured here", async ({ request }) => {
  const res = await request.get(`http://127.0.0.1:${PORT}/healthz`);
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toBe("no-store");
  expect(await res.json()).toMatchObject({ status: "ok", database: "writable", poller: { enabled: false, alive: true } });
});

test("every answer says nosniff, no framing and a short Referer, and carries a Content-Security-Policy", async ({ request }) => {
  for (const path of ["/", "/api/suggest?q=x", "/operator", "/healthz", "/icon.svg"]) {
    const headers = (await request.get(`http://127.0.0.1:${PORT}${path}`)).headers();
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
  }
  for (const path of ["/api/suggest?q=x", "/healthz", "/icon.svg"]) {
    expect((await request.get(`http://127.0.0.1:${PORT}${path}`)).headers()["content-security-policy"], path).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  }
});

test("a page's policy has a fresh nonce per request, and every script of the page carries it", async ({ request }) => {
  const nonces: string[] = [];
  for (const path of ["/", "/", "/operator", `/m/${MODULE}`]) {
    const res = await request.get(`http://127.0.0.1:${PORT}${path}`);
    const policy = res.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1] ?? "";
    expect(policy, path).toBe(
      `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'strict-dynamic'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(1);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    expect(html, path).not.toMatch(/<[a-z]+\b[^>]*\sstyle="/);
    nonces.push(nonce);
  }
  expect(new Set(nonces).size).toBe(nonces.length);
});

test("HSTS only over HTTPS: X-Forwarded-Proto from a peer TRUST_PROXY does not trust, or a forged stamp, gets none", async () => {
  const attempts: Record<string, string>[] = [{ "x-forwarded-proto": "https" }, { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.9" }, { "x-mirrorlag-scheme": "https" }, {}];
  for (const headers of attempts) {
    for (const path of ["/", "/api/suggest?q=x"]) {
      const answer = await requestFrom("127.0.0.8", PORT, "GET", path, undefined, headers);
      expect(answer.status, path).toBe(200);
      expect(answer.headers["strict-transport-security"], `${path} ${JSON.stringify(headers)}`).toBeUndefined();
    }
  }
});
