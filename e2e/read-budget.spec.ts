import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { requestFrom, statusCounts } from "./support/loopback-client";
import type { LoopbackAnswer } from "./support/loopback-client";

/*
 * The read budget (issue 12): GET and HEAD of pages and of /api/* per client, counted by our HTTP server before Next
 * renders anything. Real loopback addresses stand in for distinct clients; the app runs without TRUST_PROXY, as
 * `npm start` does, so made-up X-Forwarded-For values change nothing.
 */

const PORT = 3121;
const LIMIT = 20;
const MODULE = "github.com/read-budget-test/mod";
const SHOTS = process.env.READ_BUDGET_SHOTS ?? "test-results/screens";

let sim: MirrorSim;
let app: AppProcess;
let dir: string;
const base = `http://127.0.0.1:${PORT}`;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-read-budget-"));
  sim = await startMirrorSim({
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: [{ path: MODULE, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${MODULE}\n\ngo 1.21\n` }] }],
    mirrors: [{ name: "ref", style: "proxy.golang.org" }],
  });
  app = startAppProcess(PORT, { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: "ref", DATABASE_PATH: join(dir, "reads.db"), READ_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: "" });
  await waitForApp(app);
  // A write is no read: the check that makes the module known costs no read budget.
  expect((await requestFrom("127.0.0.9", PORT, "POST", "/api/checks", { module: MODULE })).status).toBe(200);
});

test.afterAll(async () => {
  app.child.kill("SIGTERM");
  await exited(app.child);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const READS = ["/", `/m/${MODULE}`, "/api/suggest?q=read-budget", `/api/modules/${MODULE}`];
const get = (from: string, path: string, headers: Record<string, string> = {}) => requestFrom(from, PORT, "GET", path, undefined, headers);

function expectRetryAfter(answer: LoopbackAnswer): number {
  const seconds = Number(answer.headers["retry-after"]);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  // All LIMIT reads fell in this minute: room for one more comes within the next minute's first LIMIT-th part.
  expect(seconds).toBeLessThanOrEqual(60 + Math.ceil(60 / LIMIT));
  return seconds;
}

test("a client that spends its reads gets 429 with Retry-After on pages and the API; another client is still served", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT; i++) statuses.push((await get("127.0.0.2", READS[i % READS.length] ?? "/")).status);
  console.log(`127.0.0.2, ${LIMIT} reads: ${JSON.stringify(statusCounts(statuses))}`);
  expect(statuses).toEqual(Array.from({ length: LIMIT }, () => 200));

  const page = await get("127.0.0.2", `/m/${MODULE}`);
  expect(page.status).toBe(429);
  const seconds = expectRetryAfter(page);
  expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
  expect(page.headers["cache-control"]).toBe("no-store");
  expect(page.body).toContain(`more than ${LIMIT} pages and API answers in a minute. Try again in ${seconds} s.`);
  expect(page.body).toContain(`请在 ${seconds} 秒后重试`);

  const api = await get("127.0.0.2", `/api/modules/${MODULE}?at=1`);
  expect(api.status).toBe(429);
  const apiSeconds = expectRetryAfter(api);
  expect(api.headers["content-type"]).toBe("application/json");
  expect(JSON.parse(api.body)).toEqual({ error: `too many reads: at most ${LIMIT} a minute; retry in ${apiSeconds} s` });

  const head = await requestFrom("127.0.0.2", PORT, "HEAD", "/");
  expect(head.status).toBe(429);
  expect(head.body).toBe("");

  // Next's client navigations and prefetches are reads too: a header anyone can send buys nothing.
  for (const headers of [{ rsc: "1" }, { rsc: "1", "next-router-prefetch": "1" }] as Record<string, string>[]) expect((await get("127.0.0.2", `/m/${MODULE}?_rsc=x1`, headers)).status).toBe(429);

  // What stays open: writes (the check limit governs them), the health check and the build's static files.
  expect((await get("127.0.0.2", "/healthz")).status).toBe(200);
  const asset = /\/_next\/static\/[^"']+\.js/.exec((await get("127.0.0.3", "/")).body)?.[0];
  expect(asset).toBeDefined();
  expect((await get("127.0.0.2", asset ?? "")).status).toBe(200);
  expect((await requestFrom("127.0.0.2", PORT, "POST", "/api/checks", { module: MODULE })).status).toBe(200);

  // Another client has its whole budget.
  const other: number[] = [];
  for (let i = 0; i < LIMIT - 1; i++) other.push((await get("127.0.0.3", READS[i % READS.length] ?? "/")).status);
  expect(other).toEqual(Array.from({ length: LIMIT - 1 }, () => 200));
  expect((await get("127.0.0.3", "/")).status).toBe(429);
});

test("a made-up X-Forwarded-For per request does not dodge the budget: the TCP peer is the client", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 5; i++) {
    const spoof = `198.51.100.${i + 1}`;
    statuses.push((await get("127.0.0.4", "/api/suggest?q=read", { "x-forwarded-for": spoof, "x-real-ip": spoof, "x-mirrorlag-peer": spoof })).status);
  }
  console.log(`127.0.0.4 with ${LIMIT + 5} made-up X-Forwarded-For values: ${JSON.stringify(statusCounts(statuses))}`);
  expect(statuses.slice(0, LIMIT)).toEqual(Array.from({ length: LIMIT }, () => 200));
  expect(statuses.slice(LIMIT)).toEqual([429, 429, 429, 429, 429]);
  // A refused read is answered before Next: a burst of them is cheap.
  const started = Date.now();
  const burst = await Promise.all(Array.from({ length: 200 }, () => get("127.0.0.4", `/m/${MODULE}`)));
  const ms = Date.now() - started;
  console.log(`200 refused reads at once: ${JSON.stringify(statusCounts(burst.map((r) => r.status)))} in ${ms} ms`);
  expect(burst.every((r) => r.status === 429)).toBe(true);
  expect(ms).toBeLessThan(5000);
});

test("what a visit costs: the home page, then a module page through a link, prefetches included", async ({ page }) => {
  // The browser is 127.0.0.1, with its budget (waitForApp's polls aside) still to spend.
  const counted: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    // What the budget counts (lib/server/read-budget.ts isCountedRead): all but build assets and the icon here.
    const exempt = url.pathname.startsWith("/_next/static/") || ["/icon.svg", "/favicon.ico", "/healthz"].includes(url.pathname);
    if (url.port === String(PORT) && ["GET", "HEAD"].includes(request.method()) && !exempt) counted.push(`${request.method()} ${url.pathname}${request.headers()["next-router-prefetch"] ? " (prefetch)" : ""}`);
  });
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: MODULE }).first().click();
  await expect(page).toHaveURL(new RegExp(`/m/${MODULE.replace(/[./]/g, "\\$&")}$`));
  await page.waitForLoadState("networkidle");
  console.log(`a visit (home, then the module page): ${counted.length} counted reads: ${JSON.stringify(counted)}`);
  // A budget of 600 is 20 such visits a minute or more.
  expect(counted.length).toBeGreaterThanOrEqual(2);
  expect(counted.length).toBeLessThanOrEqual(30);
});

test("the 429 page is readable in English and Chinese, on a desktop and a phone", async ({ page }) => {
  // The browser is 127.0.0.1: spend its reads first.
  for (let i = 0; i < LIMIT + 1 && (await get("127.0.0.1", "/api/suggest?q=ab")).status !== 429; i++);
  mkdirSync(SHOTS, { recursive: true });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    // The refused document itself is reported as a failed load; anything else (a CSP violation) is a bug.
    if (message.type() === "error" && !message.text().includes("status of 429")) errors.push(message.text());
  });
  for (const [lang, query] of [["en", ""], ["zh-CN", "?lang=zh-CN"]] as const) {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      const response = await page.goto(`${base}/${query}`);
      expect(response?.status()).toBe(429);
      await expect(page.getByRole("heading", { name: "Too many requests" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "请求过多" })).toBeVisible();
      await expect(page.getByText(`more than ${LIMIT} pages and API answers in a minute`)).toBeVisible();
      await expect(page.getByRole("link", { name: "返回 mirrorlag" })).toHaveAttribute("href", "/?lang=zh-CN");
      // The language asked for comes first.
      const headings = await page.getByRole("heading", { level: 1 }).allTextContents();
      expect(headings).toEqual(lang === "en" ? ["Too many requests", "请求过多"] : ["请求过多", "Too many requests"]);
      // Nothing wider than the screen: the phone reads it without scrolling sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(SHOTS, `read-budget-429-${lang}-${width}.png`), fullPage: true });
    }
  }
  expect(errors).toEqual([]);
});
