import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { issueSession } from "../lib/server/operator";
import { watchConsole } from "./console-errors";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { requestFrom } from "./support/loopback-client";

/*
 * Structured request logs and the operator's view of them (issue 12): requests from a few clients (a 404, a check
 * and its 429, an IPv6 client, requests that carry the token in every place a client could put it), then what the
 * operator sees on /operator and GET /api/operator/logs, what everybody else sees (401, no rows), and the app's
 * stdout: one JSON line per request, the token nowhere.
 */

const PORT = 3118;
const TOKEN = "e2e-logs-token-0123456789abcdefghij";
const MODULE = "github.com/logs-test/mod";
const SHOTS = "/tmp/ml/shots-logs";
const from = (client: string, extra: Record<string, string> = {}) => ({ "x-forwarded-for": client, ...extra });

let sim: MirrorSim;
let app: AppProcess;
let dir: string;
const stdout: string[] = [];

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-logs-"));
  mkdirSync(SHOTS, { recursive: true });
  sim = await startMirrorSim({
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: [{ path: MODULE, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${MODULE}\n\ngo 1.21\n` }] }],
    mirrors: [{ name: "ref", style: "proxy.golang.org" }],
  });
  // One check a minute per client: the second is a 429.
  app = startAppProcess(PORT, { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: "ref", DATABASE_PATH: join(dir, "logs.db"), ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: "1" });
  app.child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk.toString()));
  await waitForApp(app);

  const send = (client: string, method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => requestFrom("127.0.0.1", PORT, method, path, json, from(client, headers));
  expect((await send("198.51.100.10", "GET", "/no-such-page")).status).toBe(404);
  expect((await send("198.51.100.11", "POST", "/api/checks", { module: MODULE })).status).toBe(200);
  expect((await send("198.51.100.11", "POST", "/api/checks", { module: MODULE })).status).toBe(429);
  expect((await send("2001:db8:aa:bb:1:2:3:4", "GET", "/api/suggest?q=logs")).status).toBe(200);
  // The token wherever a client could put it: a Bearer header, a cookie, a query, the path, the user agent.
  expect((await send("198.51.100.12", "GET", "/api/operator", undefined, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  expect((await send("198.51.100.13", "GET", `/operator?token=${TOKEN}`, undefined, { cookie: `mirrorlag_operator=${TOKEN}` })).status).toBe(200);
  expect((await send("198.51.100.14", "GET", `/m/${TOKEN}`, undefined, { "user-agent": `probe/${TOKEN}` })).status).toBeGreaterThanOrEqual(200);
});

test.afterAll(async () => {
  app.child.kill("SIGTERM");
  await exited(app.child);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function asOperator(page: Page): Promise<void> {
  await page.context().addCookies([{ name: "mirrorlag_operator", value: issueSession(TOKEN, Date.now()), url: app.baseUrl }]);
}

test("the operator sees the recent requests with their client and status, filtered by status class, in English and Chinese", async ({ page }) => {
  const errors = watchConsole(page);
  await asOperator(page);
  await page.goto(`${app.baseUrl}/operator`);
  await expect(page.getByTestId("operator-status")).toHaveText("You are the operator (signed in).");
  const rows = page.getByTestId("log-request");
  await expect(rows.and(page.locator('[data-status="404"][data-client="198.51.100.10"][data-path="/no-such-page"]'))).toHaveCount(1);
  await expect(rows.and(page.locator('[data-status="200"][data-client="198.51.100.11"][data-path="/api/checks"]'))).toHaveCount(1);
  await expect(rows.and(page.locator('[data-status="429"][data-client="198.51.100.11"][data-path="/api/checks"]'))).toHaveCount(1);
  await expect(rows.and(page.locator('[data-client="2001:db8:aa:bb::/64"]'))).toHaveCount(1);
  await expect(rows.and(page.locator('[data-client="198.51.100.13"][data-path="/operator?token=[redacted]"]'))).toHaveCount(1);
  await expect(page.getByTestId("log-errors-empty")).toHaveText("No errors since this process started.");
  expect(await page.content()).not.toContain(TOKEN);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: `${SHOTS}/operator-logs-1440-en.png`, fullPage: true });

  await page.getByTestId("log-filter-4xx").click();
  await expect(page).toHaveURL(/\/operator\?status=4xx$/);
  await expect(page.getByTestId("log-filter-4xx")).toHaveAttribute("aria-current", "true");
  const statuses = await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-status"))));
  expect(statuses.length).toBeGreaterThanOrEqual(2);
  for (const status of statuses) expect(status >= 400 && status < 500, String(status)).toBe(true);
  await page.goto(`${app.baseUrl}/operator?status=5xx`);
  await expect(page.getByTestId("log-requests-empty")).toHaveText("No 5xx requests among the kept ones.");
  await page.goto(`${app.baseUrl}/operator?status=6xx`);
  await expect(page.getByTestId("log-filter-error")).toContainText("showing all requests");
  await expect(rows.first()).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${app.baseUrl}/operator`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "no sideways scrolling at 390 px").toBeLessThanOrEqual(390);
  await page.screenshot({ path: `${SHOTS}/operator-logs-390-en.png`, fullPage: true });
  await page.getByTestId("log-requests").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/operator-logs-390-en-table.png` });
  await page.goto(`${app.baseUrl}/operator?lang=zh-CN`);
  await expect(page.getByRole("heading", { name: "最近的请求" })).toBeVisible();
  // The filter keeps the language.
  await expect(page.getByTestId("log-filter-4xx")).toHaveAttribute("href", "/operator?status=4xx&lang=zh-CN");
  await page.screenshot({ path: `${SHOTS}/operator-logs-390-zh-CN.png`, fullPage: true });
  await page.getByTestId("log-requests").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/operator-logs-390-zh-CN-table.png` });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${app.baseUrl}/operator?lang=zh-CN`);
  await page.screenshot({ path: `${SHOTS}/operator-logs-1440-zh-CN.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test("GET /api/operator/logs answers the operator alone; anonymous and wrong-token callers get 401 and no rows", async ({ request, page }) => {
  const api = `${app.baseUrl}/api/operator/logs`;
  const ok = await request.get(`${api}?status=4xx`, { headers: from("198.51.100.20", { authorization: `Bearer ${TOKEN}` }) });
  expect(ok.status()).toBe(200);
  expect(ok.headers()["cache-control"]).toBe("no-store");
  const body = (await ok.json()) as { requests: { client: string; status: number; path: string; method: string; ms: number }[]; errors: unknown[]; kept: { requests: number; errors: number } };
  expect(body.kept).toEqual({ requests: 1000, errors: 200 });
  expect(body.requests.map((r) => r.status).every((s) => s >= 400 && s < 500)).toBe(true);
  expect(body.requests).toContainEqual(expect.objectContaining({ client: "198.51.100.10", method: "GET", path: "/no-such-page", status: 404 }));
  expect(body.requests).toContainEqual(expect.objectContaining({ client: "198.51.100.11", method: "POST", path: "/api/checks", status: 429 }));
  expect(JSON.stringify(body)).not.toContain(TOKEN);
  const bad = await request.get(`${api}?limit=0`, { headers: from("198.51.100.20", { authorization: `Bearer ${TOKEN}` }) });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toBe('"limit" must be a whole number from 1 to 1000');

  const refusals = [
    from("198.51.100.21"),
    from("198.51.100.22", { authorization: `Bearer ${TOKEN}x` }),
    from("198.51.100.23", { cookie: `mirrorlag_operator=${issueSession(`${TOKEN}-other`, Date.now())}` }),
  ];
  for (const headers of refusals) {
    const res = await request.get(api, { headers });
    expect(res.status(), JSON.stringify(headers)).toBe(401);
    const text = await res.text();
    expect(text).not.toContain("198.51.100.10");
    expect(Object.keys(JSON.parse(text) as object)).toEqual(["error"]);
  }

  // The page, as a stranger loads it: the sign-in form and none of the log.
  const res = await request.get(`${app.baseUrl}/operator`, { headers: from("198.51.100.24") });
  const html = await res.text();
  expect(html).toContain('data-testid="sign-in"');
  expect(html).not.toContain('data-testid="operator-logs"');
  expect(html).not.toContain("198.51.100.10");
  expect(html).not.toContain("/no-such-page");
  await page.goto(`${app.baseUrl}/operator?status=4xx`);
  await expect(page.getByTestId("operator-status")).toHaveText("You are not the operator.");
  await expect(page.getByTestId("operator-logs")).toHaveCount(0);
});

test("stdout is one JSON line per request after the start-up lines, with the client and status, and never the token", async () => {
  const text = stdout.join("");
  const start = text.indexOf("mirrorlag: listening on");
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = text.slice(text.indexOf("\n", start) + 1).split("\n").filter((l) => l !== "");
  const parsed = lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON line: ${line}`);
    }
  });
  const requests = parsed.filter((l) => l.msg === "request");
  expect(requests.length).toBeGreaterThanOrEqual(7);
  expect(requests).toContainEqual(expect.objectContaining({ level: "warn", client: "198.51.100.10", method: "GET", path: "/no-such-page", status: 404 }));
  expect(requests).toContainEqual(expect.objectContaining({ level: "warn", client: "198.51.100.11", path: "/api/checks", status: 429 }));
  expect(requests).toContainEqual(expect.objectContaining({ level: "info", client: "2001:db8:aa:bb::/64", status: 200 }));
  for (const line of requests) {
    expect(typeof line.time === "string" && typeof line.ms === "number" && typeof line.bytes === "number", JSON.stringify(line)).toBe(true);
  }
  for (const spelling of [TOKEN, encodeURIComponent(TOKEN)]) expect(text).not.toContain(spelling);
  console.log(`stdout: ${lines.length} JSON lines, ${requests.length} request lines, token found 0 times`);
});
