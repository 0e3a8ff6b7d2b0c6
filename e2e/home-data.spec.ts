import { expect, test } from "@playwright/test";
import type { APIRequestContext } from "@playwright/test";
import { mirrorInSync, moduleState } from "@/lib/timeline";
import type { TimelineDto } from "@/lib/timeline";
import { watchConsole } from "./console-errors";
import { readE2eState } from "./e2e-state";

// Demo modules no other spec checks, so this file owns their newest check.
const SQLITE = "github.com/mattn/go-sqlite3";
const BURNED = "github.com/creachadair/ffs/storage";
const STATE_WORDS = { in_sync: "in sync", behind: "behind", not_found: "not found", error: "error" } as const;


async function timelineOf(request: APIRequestContext, module: string): Promise<TimelineDto> {
  const response = await request.get(`/api/modules/${module}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as TimelineDto;
}

/** Nearest rank, written out independently of lib/home-summary.ts. */
function percentile(values: number[], p: number): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.ceil((p * sorted.length) / 100) - 1];
}

test("the mirror health summary agrees with every module's own timeline, and its links lead somewhere", async ({ page, request }) => {
  const state = readE2eState();
  const errors = watchConsole(page);
  // No poller runs in the browser tests and specs run one at a time: nothing changes between these reads.
  const timelines = await Promise.all(state.modules.map((m) => timelineOf(request, m)));
  await page.goto("/");

  const cards = page.getByTestId("mirror-health").locator("li[data-mirror]");
  await expect(cards).toHaveCount(state.mirrors.length);
  const shown = await cards.evaluateAll((els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return { mirror: d.mirror, inSync: d.inSync, compared: d.compared, samples: d.lagSamples, median: d.lagMedianSeconds, p90: d.lagP90Seconds };
    }),
  );
  expect(shown.map((s) => s.mirror)).toEqual(state.mirrors);

  // Modules no mirror has say nothing about any mirror; the others are compared when the reference answered.
  const judged = timelines.filter((t) => moduleState(t.summaries) !== "not_found");
  for (const card of shown) {
    const mirror = card.mirror ?? "";
    const isReference = mirror === state.reference;
    let inSync = 0;
    let compared = 0;
    for (const t of judged) {
      const mine = t.summaries.find((s) => s.name === mirror);
      const reference = t.summaries.find((s) => s.isReference);
      if (!mine || (!isReference && reference?.outcome !== "ok")) continue;
      compared += 1;
      if (mirrorInSync(mine, reference?.latest ?? null)) inSync += 1;
    }
    expect({ mirror, inSync: Number(card.inSync), compared: Number(card.compared) }).toEqual({ mirror, inSync, compared });

    const card$ = page.locator(`[data-testid="mirror-health"] li[data-mirror="${mirror}"]`);
    if (isReference) {
      expect(card.samples).toBeUndefined();
      await expect(card$.getByText("reference", { exact: true }).first()).toBeVisible();
      continue;
    }
    // The replayed history is 52 h, well inside the 7-day window: every lag point of every timeline counts.
    const lags = timelines.flatMap((t) => t.lagPoints).filter((p) => p.mirror === mirror).map((p) => p.lagSeconds);
    expect({ mirror, samples: Number(card.samples), median: card.median, p90: card.p90 }).toEqual({
      mirror,
      samples: lags.length,
      median: percentile(lags, 50)?.toString(),
      p90: percentile(lags, 90)?.toString(),
    });
  }

  // The scenario's laggard picks versions up 15 min to 3 h late (checks every 10 min): it shows as late.
  const laggard = shown.find((s) => s.mirror === "proxy.golang.com.cn");
  expect(Number(laggard?.median)).toBeGreaterThanOrEqual(10 * 60);
  await expect(page.locator('[data-testid="mirror-health"] li[data-mirror="proxy.golang.com.cn"] dd').first()).toHaveText(/^\+\d/);

  const hrefs = await page.locator('[data-testid="mirror-health"] a[href], [data-testid="recent-checks"] a[href]').evaluateAll((links) =>
    links.map((a) => a.getAttribute("href") ?? ""),
  );
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of new Set(hrefs)) {
    expect(href).toMatch(/^\/m\//);
    expect((await request.get(href)).status(), href).toBe(200);
  }
  await page.screenshot({ path: "test-results/screens/home-data.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("recently checked lists each module's newest check, newest first, with its one-word state", async ({ page, request }) => {
  const errors = watchConsole(page);
  await page.goto("/");
  const items = page.getByTestId("recent-checks").locator("li[data-module]");
  const rows = await items.evaluateAll((els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return { module: d.module ?? "", state: d.state ?? "", checkId: Number(d.checkId) };
    }),
  );
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.length).toBeLessThanOrEqual(12);
  expect(new Set(rows.map((r) => r.module)).size).toBe(rows.length);
  expect(rows.map((r) => r.checkId)).toEqual([...rows.map((r) => r.checkId)].sort((a, b) => b - a));

  for (const [index, row] of rows.entries()) {
    const timeline = await timelineOf(request, row.module);
    expect(row).toEqual({ module: row.module, state: moduleState(timeline.summaries), checkId: timeline.asOf.checkId });
    const item = items.nth(index);
    await expect(item.locator(".state-badge")).toHaveText(STATE_WORDS[row.state as keyof typeof STATE_WORDS]);
    await expect(item.getByRole("link")).toHaveAttribute("href", `/m/${row.module}`);
    const time = item.locator("time");
    await expect(time).toHaveAttribute("datetime", timeline.asOf.at);
    await expect(time).toHaveAttribute("title", `${timeline.asOf.at.slice(0, 16).replace("T", " ")} UTC`);
    await expect(time).toHaveText(/ago$|^just now$/);
  }
  expect(errors).toEqual([]);
});

test("autocomplete suggests known modules; arrows move, Escape closes, Enter checks the module and opens it", async ({ page, request }) => {
  const errors = watchConsole(page);
  await page.goto("/");
  const input = page.getByRole("combobox", { name: "Go module" });
  const listbox = page.getByRole("listbox", { name: "Known modules" });
  await expect(input).toHaveAttribute("aria-expanded", "false");

  await input.pressSequentially("jwt");
  await expect(listbox).toBeVisible();
  await expect(input).toHaveAttribute("aria-expanded", "true");
  await expect(listbox.getByRole("option")).toHaveText(["github.com/golang-jwt/jwt", "github.com/golang-jwt/jwt/v4", "github.com/golang-jwt/jwt/v5"]);
  await input.press("ArrowDown");
  await input.press("ArrowDown");
  const second = listbox.getByRole("option").nth(1);
  await expect(second).toHaveAttribute("aria-selected", "true");
  await expect(input).toHaveAttribute("aria-activedescendant", (await second.getAttribute("id")) ?? "");
  await input.press("ArrowUp");
  await expect(listbox.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  await page.screenshot({ path: "test-results/screens/home-autocomplete.png" });
  await input.press("Escape");
  await expect(input).toHaveAttribute("aria-expanded", "false");
  await expect(listbox).toBeHidden();

  const before = (await timelineOf(request, SQLITE)).asOf.checkId;
  await input.fill("");
  await input.pressSequentially("sqlite");
  await expect(listbox.getByRole("option")).toHaveText([SQLITE]);
  await input.press("ArrowDown");
  await input.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/m/${SQLITE.replace(/[./]/g, "\\$&")}$`));
  // Submitting ran a check before opening the page.
  expect((await timelineOf(request, SQLITE)).asOf.checkId).toBeGreaterThan(before);

  await page.goto("/");
  const first = page.getByTestId("recent-checks").locator("li[data-module]").first();
  await expect(first).toHaveAttribute("data-module", SQLITE);
  expect(errors).toEqual([]);
});

test("a refused check says why inline, and the page stays put", async ({ browser, request }) => {
  // A client of its own (the key is the first X-Forwarded-For address) spends its 30 checks a minute first.
  const headers = { "x-forwarded-for": "198.51.100.42" };
  const spent = await Promise.all(Array.from({ length: 30 }, () => request.post("/api/checks", { data: { module: BURNED }, headers })));
  expect(spent.map((r) => r.status())).toEqual(Array.from({ length: 30 }, () => 200));

  const context = await browser.newContext({ extraHTTPHeaders: headers });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto("/");
  await page.getByRole("combobox", { name: "Go module" }).fill(BURNED);
  await page.getByRole("button", { name: "Check mirrors" }).click();
  await expect(page.locator("#module-search-status").getByRole("alert")).toHaveText(/^Too many checks from your address: try again in \d+ s\.$/);
  await expect(page.getByRole("button", { name: "Check mirrors" })).toBeEnabled();
  expect(new URL(page.url()).pathname).toBe("/");
  await page.screenshot({ path: "test-results/screens/home-rate-limited.png" });
  expect(errors).toEqual([]);
  await context.close();
});
