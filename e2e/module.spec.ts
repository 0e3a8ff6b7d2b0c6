import { expect, test } from "@playwright/test";
import { watchConsole } from "./console-errors";
import { readE2eState } from "./e2e-state";

const JWT4 = "github.com/golang-jwt/jwt/v4";
const LAGGARD = "proxy.golang.com.cn";
const CDN_MIRROR = "goproxy.cn";


test("search a module and land on its page with every mirror shown", async ({ page }) => {
  const state = readE2eState();
  const errors = watchConsole(page);
  await page.goto("/");
  await page.getByRole("combobox", { name: "Go module" }).fill("github.com/IBM/sarama");
  await page.getByRole("button", { name: "Check mirrors" }).click();
  await expect(page).toHaveURL(/\/m\/github\.com\/IBM\/sarama$/);
  const summary = page.getByTestId("summary-table");
  for (const mirror of state.mirrors) await expect(summary.locator(`tr[data-mirror="${mirror}"]`)).toBeVisible();
  await expect(page.getByTestId("version-matrix").locator("tbody tr").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/module-sarama.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("the lag chart has one series per mirror with the lags the scenario implies", async ({ page, request }) => {
  const state = readE2eState();
  const errors = watchConsole(page);
  const api = await (await request.get(`/api/modules/${JWT4}`)).json();
  await page.goto(`/m/${JWT4}`);
  const chart = page.getByTestId("lag-chart");
  await expect(chart).toBeVisible();
  const others = state.mirrors.filter((m) => m !== state.reference);
  await expect(chart.locator(".recharts-scatter")).toHaveCount(others.length);
  for (const mirror of others) await expect(chart.locator(".recharts-legend-item", { hasText: mirror })).toBeVisible();

  // The accessible table carries exactly the API's numbers.
  const rows = page.getByTestId("lag-table").locator("tbody tr");
  const fromTable = await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute("data-mirror")} ${tr.getAttribute("data-version")} ${tr.getAttribute("data-lag-seconds")}`));
  const fromApi = (api.lagPoints as { mirror: string; version: string; lagSeconds: number }[]).map((p) => `${p.mirror} ${p.version} ${p.lagSeconds}`);
  expect(fromTable.sort()).toEqual(fromApi.sort());

  // The scenario: proxy.golang.com.cn picks versions up 15 min to 3 h after publication, the reference within
  // 2 min, goproxy.cn within 5 min plus a 60 s CDN; checks run every 10 min ±10 %, and every minute right after
  // a first pickup. So the laggard is never ahead, and typically far behind.
  const laggard: { lagSeconds: number }[] = api.lagPoints.filter((p: { mirror: string }) => p.mirror === LAGGARD);
  expect(laggard.length).toBeGreaterThan(0);
  for (const p of laggard) expect(p.lagSeconds).toBeGreaterThanOrEqual(0);
  const sorted = laggard.map((p) => p.lagSeconds).sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThanOrEqual(10 * 60);
  for (const p of api.lagPoints.filter((q: { mirror: string }) => q.mirror === CDN_MIRROR)) expect(Math.abs(p.lagSeconds)).toBeLessThanOrEqual(15 * 60);

  // A lagging cell says by how much and within which window.
  const laggardCells = page.locator(`[data-testid="version-matrix"] .cell[data-mirror="${LAGGARD}"] [data-testid="lag"]`);
  await expect(laggardCells.first()).toHaveText(/^\+\d/);
  await expect(page.locator(`[data-testid="version-matrix"] .cell[data-mirror="${LAGGARD}"] .window`).first()).toHaveText(/picked up \d{4}-\d\d-\d\d \d\d:\d\d/);
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/module-jwt-v4.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("a permalink shows the same evidence after more checks, and the Markdown export carries it", async ({ browser, request }) => {
  const state = readE2eState();
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/m/${JWT4}`);
  await page.getByTestId("copy-permalink").click();
  const permalink = await page.evaluate(() => navigator.clipboard.readText());
  expect(permalink).toMatch(new RegExp(`/m/${JWT4.replace(/\//g, "\\/")}\\?at=\\d+$`));
  const asOf = Number(new URL(permalink).searchParams.get("at"));
  const matrixBefore = await page.getByTestId("version-matrix").innerText();
  const evidenceBefore = await page.getByTestId("evidence").locator("tbody").innerText();

  await page.getByTestId("copy-markdown").click();
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain(`**${JWT4}** on Go module mirrors`);
  expect(markdown).toContain(`Evidence: ${permalink}`);
  for (const mirror of state.mirrors) expect(markdown).toContain(`| ${mirror} |`);

  for (let i = 0; i < 2; i++) {
    const response = await request.post("/api/checks", { data: { module: JWT4 }, headers: { "x-forwarded-for": "198.51.100.7" } });
    expect(response.status()).toBe(200);
    expect((await response.json()).check.id).toBeGreaterThan(asOf);
  }

  const fresh = await browser.newContext();
  const later = await fresh.newPage();
  const laterErrors = watchConsole(later);
  await later.goto(permalink);
  await expect(later.getByTestId("stale-banner")).toContainText(`check #${asOf}`);
  await expect(later.getByTestId("module-page")).toHaveAttribute("data-as-of", String(asOf));
  expect(await later.getByTestId("version-matrix").innerText()).toBe(matrixBefore);
  expect(await later.getByTestId("evidence").locator("tbody").innerText()).toBe(evidenceBefore);
  await later.screenshot({ path: "test-results/screens/permalink.png", fullPage: true });
  await later.getByRole("link", { name: "Open the live page" }).click();
  await expect(later).toHaveURL(new RegExp(`/m/${JWT4.replace(/\//g, "\\/")}$`));
  await expect(later.getByTestId("stale-banner")).toHaveCount(0);
  expect([...errors, ...laterErrors]).toEqual([]);
  await fresh.close();
  await context.close();
});

test("a retraction shows per mirror, with its rationale, on the module and version pages", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`/m/${JWT4}`);
  const retractions = page.getByTestId("retractions");
  await expect(retractions).toContainText("v4.4.0");
  await expect(retractions).toContainText("Contains a backwards incompatible change to the Claims interface.");
  // v4.4.1 retracts v4.4.0; the laggard serves v4.4.1's go.mod last, so the retraction reaches it last.
  const events = page.getByTestId("events");
  for (const mirror of readE2eState().mirrors) await expect(events).toContainText(`retraction of v4.4.0 reached ${mirror}`);
  await page.goto(`/m/${JWT4}@v4.4.0`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${JWT4}@v4.4.0`);
  await expect(page.getByTestId("version-detail").locator(".badge-retracted").first()).toBeVisible();
  await expect(page.getByTestId("retractions")).toContainText("v4.4.0");
  await page.screenshot({ path: "test-results/screens/version-retracted.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("a module every mirror answers 404 for says so plainly, with the servers' messages", async ({ page }) => {
  const errors = watchConsole(page);
  const missing = "github.com/nobody-e2e/does-not-exist";
  await page.goto(`/m/${missing}`);
  await expect(page.getByTestId("unknown-module")).toContainText("has not checked");
  await page.getByRole("button", { name: "Check it now" }).click();
  await expect(page.getByTestId("not-found-anywhere")).toBeVisible();
  await expect(page.getByTestId("evidence")).toContainText("404");
  await expect(page.getByTestId("evidence")).toContainText("not found");
  await page.screenshot({ path: "test-results/screens/not-found.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("an invalid path in the URL gets an inline explanation", async ({ page }) => {
  await page.goto("/m/Github.com/x/y");
  await expect(page.getByTestId("invalid-path")).toBeVisible();
  await expect(page.getByRole("alert").first()).toContainText('malformed module path "Github.com/x/y"');
  await page.screenshot({ path: "test-results/screens/invalid-path.png", fullPage: true });
});

test("a module can be un-watched and watched again, and the choice sticks", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto("/m/github.com/mattn/go-sqlite3");
  const toggle = page.getByTestId("watch-toggle");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await page.reload();
  await expect(page.getByTestId("watch-toggle")).toHaveAttribute("aria-pressed", "false");
  await page.screenshot({ path: "test-results/screens/unwatched.png" });
  await page.getByTestId("watch-toggle").click();
  await expect(page.getByTestId("watch-toggle")).toHaveAttribute("aria-pressed", "true");
  expect(errors).toEqual([]);
});
