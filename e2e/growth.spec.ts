import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { watchConsole } from "./console-errors";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";

/*
 * Bounded growth (issue 9/11) on a real instance with MAX_WATCHED_MODULES=2 and an ADMIN_TOKEN: the third served
 * module is checked but not watched and the home page says so; a module nobody looked at for WATCH_EXPIRY_DAYS
 * stops being polled and its page says so (the app has no test clock: the spec back-dates its last interest in the
 * database, as 8 days of nobody looking would); anonymous deletes are refused and change nothing; the operator
 * deletes through the module page's button. The poller's own schedule is covered by lib/server/growth.integration.test.ts.
 */

const PORT = 3116;
const TOKEN = "e2e-growth-token-0123456789abcdef";
const EXPIRY_DAYS = 7;
const SHOTS = "/tmp/ml/shots-growth";
const MODULES = ["github.com/growth-test/first", "github.com/growth-test/second", "github.com/growth-test/third"] as const;
const [FIRST, SECOND, THIRD] = MODULES;
const UNKNOWN = "github.com/growth-test/nobody-serves-this";
const remote = (n: number) => ({ "x-forwarded-for": `198.51.100.${n}` });

let sim: MirrorSim;
let app: AppProcess;
let dir: string;
let dbPath: string;

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-growth-"));
  dbPath = join(dir, "growth.db");
  sim = await startMirrorSim({
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: MODULES.map((path) => ({ path, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${path}\n\ngo 1.21\n` }] })),
    mirrors: [
      { name: "ref", style: "proxy.golang.org" },
      { name: "cn", style: "goproxy" },
    ],
  });
  app = startAppProcess(PORT, {
    MIRRORS: sim.mirrorsEnv,
    REFERENCE_MIRROR: "ref",
    DATABASE_PATH: dbPath,
    ADMIN_TOKEN: TOKEN,
    MAX_WATCHED_MODULES: "2",
    WATCH_EXPIRY_DAYS: String(EXPIRY_DAYS),
  });
  await waitForApp(app);
});

test.afterAll(async () => {
  app.child.kill("SIGTERM");
  await exited(app.child);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function check(module: string, client: number): Promise<void> {
  const res = await fetch(`${app.baseUrl}/api/checks`, { method: "POST", headers: { "content-type": "application/json", ...remote(client) }, body: JSON.stringify({ module }) });
  expect(res.status, module).toBe(200);
}

/** What the app's own database says (read-only here except for the back-dating below). */
function moduleRow(path: string): { watched: number; last_interest_at: number | null } | undefined {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare("select watched, last_interest_at from modules where path = ?").get(path) as { watched: number; last_interest_at: number | null } | undefined;
  } finally {
    db.close();
  }
}

async function shoot(page: Page, path: string, name: string): Promise<void> {
  for (const [lang, suffix] of [
    ["", "en"],
    ["lang=zh-CN", "zh"],
  ] as const) {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.goto(`${app.baseUrl}${path}${lang ? `${path.includes("?") ? "&" : "?"}${lang}` : ""}`);
      await page.screenshot({ path: `${SHOTS}/${name}-${suffix}-${width}.png`, fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test.describe.configure({ mode: "serial" });

test("with MAX_WATCHED_MODULES=2 the third served module is checked but not watched, and the home page says so", async ({ page }) => {
  const errors = watchConsole(page);
  // A path no mirror knows is checked first: it is never watched, so it takes no place under the cap.
  await check(UNKNOWN, 1);
  for (const [i, module] of MODULES.entries()) await check(module, 2 + i);
  expect([moduleRow(UNKNOWN)?.watched, ...MODULES.map((m) => moduleRow(m)?.watched)]).toEqual([0, 1, 1, 0]);

  // The third was checked all the same: its evidence is there for everyone.
  const third = await fetch(`${app.baseUrl}/api/modules/${THIRD}`, { headers: remote(9) });
  expect(third.status).toBe(200);
  expect(((await third.json()) as { versions: { version: string }[] }).versions.map((v) => v.version)).toEqual(["v1.0.0"]);
  await page.goto(`${app.baseUrl}/m/${THIRD}`);
  await expect(page.getByTestId("watch-state")).toHaveText("☆ not watched");

  await page.goto(`${app.baseUrl}/`);
  await expect(page.getByTestId("growth-cap-notice")).toHaveText(
    "This instance polls 2 modules, its limit (MAX_WATCHED_MODULES = 2): modules checked for the first time are checked and kept, but not watched, until watched modules expire or the operator un-watches some.",
  );
  await expect(page.getByTestId("watched-count")).toHaveText("2 of 2 watched modules, newest check first");
  await expect(page.getByTestId("watched-modules").locator("li")).toHaveCount(2);
  expect(await page.getByTestId("watched-modules").locator("li").evaluateAll((items) => items.map((li) => li.getAttribute("data-module")))).toEqual([SECOND, FIRST]);
  await page.goto(`${app.baseUrl}/?lang=zh-CN`);
  await expect(page.getByTestId("growth-cap-notice")).toContainText("本实例正在轮询 2 个模块，已达上限（MAX_WATCHED_MODULES = 2）");
  await shoot(page, "/", "home-cap");
  expect(errors).toEqual([]);
});

test("a module nobody looked at for WATCH_EXPIRY_DAYS is no longer polled, its page says so, and the view resumes it", async ({ page }) => {
  const errors = watchConsole(page);
  // FIRST was only checked (never viewed in this process): eight days of nobody looking, written where they would be.
  const eightDaysAgo = Date.now() - 8 * 86_400_000;
  const db = new Database(dbPath);
  try {
    db.prepare("update modules set last_interest_at = ?, created_at = ? where path = ?").run(eightDaysAgo, eightDaysAgo, FIRST);
  } finally {
    db.close();
  }
  // No longer polled, so it no longer counts under the cap: the notice is gone, and it is still listed as watched.
  await page.goto(`${app.baseUrl}/`);
  await expect(page.getByTestId("watched-count")).toHaveText("2 of 2 watched modules, newest check first");
  await expect(page.getByTestId("growth-cap-notice")).toHaveCount(0);

  await page.goto(`${app.baseUrl}/m/${FIRST}`);
  const since = new Date(eightDaysAgo + EXPIRY_DAYS * 86_400_000).toISOString().slice(0, 16).replace("T", " ");
  await expect(page.getByTestId("expired-notice")).toHaveText(`Not polled since ${since} UTC: nobody viewed or checked this module for ${EXPIRY_DAYS} days. Its data stays; this visit resumes polling.`);
  // That view was interest: polling resumed (there was room again), so the next view has no notice and the cap is full again.
  expect(moduleRow(FIRST)?.last_interest_at).toBeGreaterThan(Date.now() - 60_000);
  expect(moduleRow(FIRST)?.watched).toBe(1);
  await page.reload();
  await expect(page.getByTestId("module-state")).toBeVisible();
  await expect(page.getByTestId("expired-notice")).toHaveCount(0);
  await page.goto(`${app.baseUrl}/`);
  await expect(page.getByTestId("growth-cap-notice")).toBeVisible();

  // The same again for the screenshots, in both languages (each view resumes it, so back-date before each).
  for (const lang of ["", "?lang=zh-CN"]) {
    for (const width of [1440, 390]) {
      const again = new Database(dbPath);
      again.prepare("update modules set last_interest_at = ? where path = ?").run(eightDaysAgo, FIRST);
      again.close();
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      // The service remembers the view above for 5 minutes and writes nothing meanwhile: the back-dated row stands.
      await page.goto(`${app.baseUrl}/m/${FIRST}${lang}`);
      await expect(page.getByTestId("expired-notice")).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/module-expired-${lang ? "zh" : "en"}-${width}.png`, fullPage: true });
    }
  }
  await expect(page.getByTestId("expired-notice")).toContainText(`已有 ${EXPIRY_DAYS} 天无人查看或检查此模块`);
  expect(errors).toEqual([]);
});

test("anonymous and wrong-token deletes are refused and change nothing; the operator deletes through the module page", async ({ page, request }) => {
  const errors = watchConsole(page);
  for (const headers of [remote(30), { ...remote(31), authorization: `Bearer ${TOKEN}x` }, { ...remote(32), cookie: "mirrorlag_operator=v1.99999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, {}]) {
    const res = await request.delete(`${app.baseUrl}/api/modules/${THIRD}`, { headers });
    expect(res.status(), JSON.stringify(headers)).toBe(401);
    expect(await res.json()).toMatchObject({ error: expect.any(String) });
  }
  // Still there, every row of it.
  expect((await fetch(`${app.baseUrl}/api/modules/${THIRD}`, { headers: remote(33) })).status).toBe(200);
  expect(moduleRow(THIRD)).toBeDefined();
  // The button is the operator's: an anonymous visitor does not see it.
  await page.goto(`${app.baseUrl}/m/${THIRD}`);
  await expect(page.getByTestId("module-state")).toBeVisible();
  await expect(page.getByTestId("delete-module")).toHaveCount(0);

  await page.goto(`${app.baseUrl}/operator`);
  await page.getByLabel("Operator token").fill(TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("operator-status")).toHaveText("You are the operator (signed in).");
  await shoot(page, `/m/${THIRD}`, "module-operator");
  await page.goto(`${app.baseUrl}/m/${THIRD}`);
  const button = page.getByTestId("delete-module");
  await expect(button).toHaveText("Delete module data");

  // Dismissing the confirmation deletes nothing.
  page.once("dialog", (dialog) => void dialog.dismiss());
  await button.click();
  await expect(button).toBeEnabled();
  expect(moduleRow(THIRD)).toBeDefined();

  let asked = "";
  page.once("dialog", (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await button.click();
  await page.waitForURL(`${app.baseUrl}/`);
  expect(asked).toBe(`Delete every stored check, observation and probe of ${THIRD}? This cannot be undone.`);
  expect(moduleRow(THIRD)).toBeUndefined();
  expect((await fetch(`${app.baseUrl}/api/modules/${THIRD}`, { headers: remote(34) })).status).toBe(404);
  await expect(page.getByTestId("recent-checks").locator(`li[data-module="${THIRD}"]`)).toHaveCount(0);
  await expect(page.getByTestId("recent-checks").locator(`li[data-module="${SECOND}"]`)).toHaveCount(1);
  // A second delete of the same module is a 404 for the operator too.
  const again = await request.delete(`${app.baseUrl}/api/modules/${THIRD}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(again.status()).toBe(404);
  expect(errors).toEqual([]);
});
