import { expect, test } from "@playwright/test";
import { watchConsole } from "./console-errors";

// github.com/IBM/sarama has more versions than one page holds: the page loads the rest on demand.
const SARAMA = "github.com/IBM/sarama";

test("a module with more versions than a page shows the newest first and loads the rest on demand, as the API pages them", async ({ page, request }) => {
  const errors = watchConsole(page);
  const first = await (await request.get(`/api/modules/${SARAMA}`)).json();
  expect(first.page.of).toBeGreaterThan(1);
  const pages = [first];
  for (let n = 2; n <= first.page.of; n++) pages.push(await (await request.get(`/api/modules/${SARAMA}?at=${first.asOf.checkId}&page=${n}`)).json());
  const allVersions = pages.flatMap((p) => p.versions.map((v: { version: string }) => v.version));
  expect(allVersions).toHaveLength(first.page.versions.total);

  await page.goto(`/m/${SARAMA}?at=${first.asOf.checkId}`);
  const rows = page.getByTestId("version-matrix").locator("tbody tr");
  await expect(rows).toHaveCount(first.versions.length);
  const more = page.getByTestId("more-versions");
  await expect(more).toBeVisible();
  await page.screenshot({ path: "test-results/screens/module-paged.png", fullPage: true });
  await more.getByRole("button", { name: `Show all ${first.page.versions.total} versions` }).click();
  await expect(rows).toHaveCount(first.page.versions.total);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-version")))).toEqual(allVersions);
  await expect(more).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("a version page carries only that version: its row, its events, the retractions covering it", async ({ page, request }) => {
  const errors = watchConsole(page);
  const live = await (await request.get(`/api/modules/${SARAMA}`)).json();
  const oldest = live.page.of > 1 ? (await (await request.get(`/api/modules/${SARAMA}?at=${live.asOf.checkId}&page=${live.page.of}`)).json()).versions.at(-1).version : live.versions.at(-1).version;
  const api = await (await request.get(`/api/modules/${SARAMA}?version=${oldest}`)).json();
  expect(api.versions.map((v: { version: string }) => v.version)).toEqual([oldest]);
  expect(api.events.every((e: { kind: string; version?: string }) => e.version === oldest || e.kind === "retraction_reached")).toBe(true);
  // The version is past the first page of the module, yet its page shows it.
  await page.goto(`/m/${SARAMA}@${oldest}`);
  await expect(page.getByTestId("version-detail")).toBeVisible();
  await expect(page.getByTestId("version-not-seen")).toHaveCount(0);
  expect(errors).toEqual([]);
});
