import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { requestFrom } from "./support/loopback-client";

/*
 * The instance's outbound budget is full (issue 9/11): one slow check holds the whole queue of user work
 * (USER_MIRROR_RPS=1, USER_QUEUE_SECONDS=1, every answer 2.5 s late), so another visitor's check is refused at once:
 * the API with 503 and Retry-After, the search box with "try again in N s", in English and Chinese; once the slow check
 * is done, the same check runs.
 */

const PORT = 3123;
const SLOW = "github.com/busy-test/slow";
const OTHER = "github.com/busy-test/other";
const gomod = (path: string) => `module ${path}\n\ngo 1.21\n`;

let sim: MirrorSim;
let app: AppProcess;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-busy-"));
  sim = await startMirrorSim({
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: [SLOW, OTHER].map((path) => ({ path, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: gomod(path) }] })),
    mirrors: [{ name: "ref", style: "proxy.golang.org", latencyMs: 2500 }],
  });
  app = startAppProcess(PORT, {
    MIRRORS: sim.mirrorsEnv,
    REFERENCE_MIRROR: "ref",
    SUMDB: "off",
    DATABASE_PATH: join(dir, "busy.db"),
    USER_MIRROR_RPS: "1",
    USER_QUEUE_SECONDS: "1",
    TRUST_PROXY: "",
  });
  await waitForApp(app);
});

test.afterAll(async () => {
  app.child.kill("SIGTERM");
  await exited(app.child);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const { lang, busyText } of [
  { lang: "en", busyText: /^This instance is already sending the mirrors as many requests as it allows: try again in \d+ s\.$/ },
  { lang: "zh-CN", busyText: /^本实例发往各镜像的请求已达上限，请 \d+ 秒后再试。$/ },
]) {
  test(`a full outbound budget refuses another check at once, and says when to retry (${lang})`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`http://localhost:${PORT}/?lang=${lang}`);
    sim.clearLog();
    // The slow check takes the queue (a check may ask 3 requests; the queue holds 1 s at 1 a second).
    const slow = requestFrom("127.0.0.5", PORT, "POST", "/api/checks", { module: SLOW });
    await expect.poll(() => sim.log("ref").filter((e) => e.module === SLOW).length).toBeGreaterThan(0);

    const refused = await requestFrom("127.0.0.6", PORT, "POST", "/api/checks", { module: OTHER });
    expect(refused.status).toBe(503);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.body)).toEqual({ error: `busy: the mirrors already have 1 s of requests from this instance queued (at most 1 a second each); retry in ${retryAfter} s` });
    // Refused before it asked anything (the earlier test's commit-time look-ups, on the poller's cap, may still land).
    expect(sim.log("ref").filter((e) => e.module === OTHER && (e.kind === "list" || e.kind === "latest"))).toEqual([]);

    const input = page.getByRole("combobox");
    await input.fill(OTHER);
    await input.press("Enter");
    const alert = page.locator("#module-search-status").getByRole("alert");
    await expect(alert).toHaveText(busyText);
    await page.screenshot({ path: `test-results/screens/busy-${lang}.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `test-results/screens/busy-${lang}-390.png` });
    expect(page.url()).toBe(`http://localhost:${PORT}/?lang=${lang}`);

    // The queue drains with the slow check; then the same check runs and opens the module page.
    expect((await slow).status).toBe(200);
    await input.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/m/${OTHER}`), { timeout: 20_000 });
  });
}
