import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { hashGoMod } from "@/lib/goproxy";
import type { ResolutionDto } from "@/lib/resolve";
import { watchConsole } from "./console-errors";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { RESOLVE_UI_MIRRORS, RESOLVE_UI_REFERENCE, resolveUiScenario } from "./mirror-sim/scenarios/resolve-ui";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";

/*
 * /resolve in the browser: its own app server (own port and database) against the resolve-ui scenario, whose
 * mirrors answer late enough that a resolution's progress is seen moving, one probe at a time
 * (RESOLVE_CONCURRENCY=1). Every test resolves modules no other test here resolves.
 */

const PORT = 3112;
const BASE = `http://localhost:${PORT}`;
const UI = "github.com/resolve-ui";
const ALPHA = `${UI}/alpha`;
const BRAVO = `${UI}/bravo`;
const CHARLIE = `${UI}/charlie`;
const LATE = `${UI}/late`;
const REBUILT = `${UI}/rebuilt`;
const GHOST = "github.com/resolve-ghost/secret";

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });

let sim: MirrorSim;
let app: AppProcess;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-resolve-e2e-"));
  sim = await startMirrorSim(resolveUiScenario());
  if (!sim.sumdb) throw new Error("the resolve-ui scenario has a checksum database");
  app = startAppProcess(PORT, {
    MIRRORS: sim.mirrorsEnv,
    REFERENCE_MIRROR: RESOLVE_UI_REFERENCE,
    DATABASE_PATH: join(dir, "resolve.db"),
    SUMDB: sim.sumdb.gosumdb,
    RESOLVE_CONCURRENCY: "1",
  });
  await waitForApp(app);
});

test.afterAll(async () => {
  if (app) {
    app.child.kill("SIGTERM");
    await Promise.race([exited(app.child), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill("SIGKILL");
  }
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Seven requirements to probe: served, indirect, go.sum contradicted, late on goproxy.cn, unknown, rebuilt, replaced. */
const MAIN_GOMOD = `module example.com/app

go 1.21

require (
	${ALPHA} v1.2.0
	${BRAVO} v1.0.0 // indirect
	${CHARLIE} v1.2.0
	${GHOST} v1.0.0
	${REBUILT} v1.0.0
	example.com/old v1.0.0
	example.com/local v0.1.0
	${UI}/echo v1.0.0
)

require ${LATE} v1.1.0 // indirect

exclude ${UI}/echo v1.0.0

replace example.com/old v1.0.0 => ${UI}/delta v1.2.0

replace example.com/local => ../local
`;

const FAILING = [GHOST, CHARLIE, LATE, REBUILT];
const ROW_ORDER = [...FAILING, "example.com/old", ALPHA, BRAVO, "example.com/local", `${UI}/echo`];

async function apiResolution(page: Page, id: number, lang = "en"): Promise<ResolutionDto> {
  const response = await page.request.get(`/api/resolutions/${id}?lang=${lang}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { resolution: ResolutionDto }).resolution;
}

async function submitted(page: Page): Promise<number> {
  await page.getByTestId("resolve-submit").click();
  await expect(page).toHaveURL(/\/resolve\?id=\d+/, { timeout: 15_000 });
  return Number(new URL(page.url()).searchParams.get("id"));
}

const rows = (page: Page) => page.getByTestId("requirement-row");
const rowModules = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.module ?? ""));
const cell = (page: Page, module: string, mirror: string) => page.locator(`[data-testid="requirement-row"][data-module="${module}"] td[data-mirror="${mirror}"]`);

/** Watches the progress bar until it reaches the total: every value it showed, in order. */
async function progressValues(page: Page, total: number): Promise<number[]> {
  const bar = page.getByRole("progressbar");
  await expect(bar).toHaveAttribute("aria-valuemax", String(total));
  const seen: number[] = [];
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const value = Number(await bar.getAttribute("aria-valuenow"));
    if (seen.at(-1) !== value) seen.push(value);
    if (value === total) break;
    await page.waitForTimeout(100);
  }
  return seen;
}

test("the home page links to the go.mod check", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("home-resolve-link").click();
  await expect(page).toHaveURL(`${BASE}/resolve`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Will my build resolve?");
  await expect(page.getByTestId("resolve-form")).toBeVisible();
});

test("a pasted go.mod with a picked go.sum: progress moves, failures first with their codes, links, filters, permalink", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, permissions: ["clipboard-read", "clipboard-write"], viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto("/resolve");
  await page.screenshot({ path: "test-results/screens/resolve-form.png", fullPage: true });

  // go.sum: alpha's and rebuilt's /go.mod lines as the origin has them, charlie's contradicted.
  const gosum = [
    `${ALPHA} v1.2.0/go.mod ${hashGoMod(sim.goModFor(ALPHA, "v1.2.0"))}`,
    `${REBUILT} v1.0.0/go.mod ${hashGoMod(sim.goModFor(REBUILT, "v1.0.0"))}`,
    `${CHARLIE} v1.2.0/go.mod ${hashGoMod("module something/else\n")}`,
    "",
  ].join("\n");
  await page.getByTestId("gomod-input").fill(MAIN_GOMOD);
  // The file picker reads go.sum in the browser into its box (by its name), before anything is sent.
  await page.getByTestId("resolve-files").setInputFiles({ name: "go.sum", mimeType: "text/plain", buffer: Buffer.from(gosum) });
  await expect(page.getByTestId("gosum-input")).toHaveValue(gosum);
  await expect(page.getByTestId("resolve-drop-notes")).toHaveText("Read go.sum into the go.sum box.");
  const id = await submitted(page);

  // The page renders at once and follows the background probes: local and excluded are done from the start.
  await expect(page.getByTestId("resolve-status")).toHaveText("running");
  const seen = await progressValues(page, 9);
  expect(seen.at(-1), `progress seen: ${seen.join(" → ")}`).toBe(9);
  expect(seen[0] ?? 9, `progress seen: ${seen.join(" → ")}`).toBeLessThan(9);
  expect(seen.some((v) => v > (seen[0] ?? 9) && v < 9), `progress seen: ${seen.join(" → ")}`).toBe(true);
  expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  await expect(page.getByTestId("resolution")).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("resolve-status")).toHaveText("done");
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuetext", "9 of 9 requirements probed");

  const dto = await apiResolution(page, id);
  expect(dto.status).toBe("done");
  // Failing rows first (a go.sum line every mirror contradicts is failing too), then served, then never fetched.
  expect(await rowModules(page)).toEqual(ROW_ORDER);
  for (const path of ROW_ORDER) {
    await expect(page.locator(`[data-testid="requirement-row"][data-module="${path}"]`)).toHaveAttribute("data-failing", String(FAILING.includes(path)));
  }
  const expectCell = async (module: string, mirror: string, diagnosis: string, label: string) => {
    const c = cell(page, module, mirror);
    await expect(c).toHaveAttribute("data-diagnosis", diagnosis);
    await expect(c.locator(".cell-code")).toHaveText(label);
    const text = dto.requirements.find((r) => r.module === module)?.mirrors[mirror]?.diagnosis.text ?? "";
    expect(text.length).toBeGreaterThan(10);
    await expect(c.locator("a.cell-link")).toHaveAttribute("title", text);
  };
  await expectCell(LATE, "goproxy.cn", "not_yet_on_mirror", "not yet on mirror");
  await expectCell(LATE, "proxy.golang.org", "served", "served");
  for (const mirror of RESOLVE_UI_MIRRORS) await expectCell(GHOST, mirror, "no_such_module", "no such module");
  await expectCell(REBUILT, "proxy.golang.com.cn", "hash_mismatch", "different bytes");
  await expect(cell(page, LATE, "goproxy.cn").locator(".cell-verdict")).toHaveText("✗ not found");
  await expect(cell(page, ALPHA, "goproxy.cn").locator(".cell-verdict")).toHaveText("✓ works");

  // The go.sum: a contradicting mirror is loud, the checksum database's verdict on the go.sum itself on the row.
  const loud = cell(page, REBUILT, "proxy.golang.com.cn").locator('[data-gosum="gomod"]');
  await expect(loud).toHaveAttribute("data-agreement", "mismatch");
  await expect(loud).toHaveText("go.sum /go.mod ✗ DIFFERS");
  expect(await loud.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
  await expect(cell(page, REBUILT, "proxy.golang.org").locator('[data-gosum="gomod"]')).toHaveAttribute("data-agreement", "match");
  await expect(cell(page, BRAVO, "goproxy.cn").locator('[data-gosum="gomod"]')).toHaveText("go.sum /go.mod no line");
  await expect(page.locator(`[data-testid="requirement-row"][data-module="${CHARLIE}"] [data-testid="gosum-vs-sumdb"]`)).toHaveText("✗ go.sum contradicts the checksum database");
  await expect(page.locator(`[data-testid="requirement-row"][data-module="${ALPHA}"] [data-testid="gosum-vs-sumdb"]`)).toHaveCount(0);

  // Marks: indirect, replaced by another module, a local directory, excluded.
  const row = (module: string) => page.locator(`[data-testid="requirement-row"][data-module="${module}"]`);
  await expect(row(LATE)).toContainText("indirect");
  await expect(row("example.com/old").getByTestId("replaced-by")).toHaveText(`replaced by ${UI}/delta@v1.2.0`);
  await expect(row("example.com/local")).toContainText("replaced by the local directory ../local");
  await expect(row("example.com/local")).toContainText("local directory: not fetched");
  await expect(row(`${UI}/echo`)).toContainText("excluded by the go.mod: not fetched");

  // Totals per mirror, as the API counts them.
  expect(dto.mirrors).toEqual({
    // CHARLIE's go.sum line contradicts what every mirror serves: go mod download stops there, so it fails on each.
    "proxy.golang.org": { resolves: 5, fails: 2, missing: 0 },
    "goproxy.cn": { resolves: 4, fails: 2, missing: 1 },
    "proxy.golang.com.cn": { resolves: 4, fails: 3, missing: 0 },
  });
  for (const mirror of RESOLVE_UI_MIRRORS) {
    const totals = page.locator(`[data-testid="resolve-totals"] tr[data-mirror="${mirror}"]`);
    await expect(totals.locator('[data-total="resolves"]')).toHaveText(String(dto.mirrors[mirror]?.resolves));
    await expect(totals.locator('[data-total="fails"]')).toHaveText(String(dto.mirrors[mirror]?.fails));
    await expect(totals.locator('[data-total="missing"]')).toHaveText(String(dto.mirrors[mirror]?.missing));
  }

  // No GOPROXY to advise: the go.mod requires a version it excludes (go >= 1.17 stops there), nothing serves the
  // unknown module (GOPRIVATE for it), and charlie's go.sum line contradicts every mirror.
  expect(dto.advice.goproxy).toBeNull();
  await expect(page.getByTestId("resolve-advice-command")).toHaveCount(0);
  await expect(page.getByTestId("resolve-advice-reason")).toHaveText(dto.advice.reason);
  await expect(page.getByTestId("resolve-advice-reason")).toContainText(`the go.mod excludes ${UI}/echo v1.0.0, which it also requires`);
  const chains = dto.chains ?? [];
  expect(chains.length).toBeGreaterThan(3);
  await expect(page.getByTestId("whole-chains").locator("summary")).toHaveText(`What each GOPROXY value does for this whole go.mod: 0 of ${chains.length} work`);
  const unresolvable = page.getByTestId("unresolvable").locator("li");
  expect((await unresolvable.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.module))).sort()).toEqual([GHOST, CHARLIE, `${UI}/echo`].sort());
  await expect(page.locator(`[data-testid="unresolvable"] li[data-module="${GHOST}"]`)).toContainText("no such module");
  await expect(page.locator(`[data-testid="unresolvable"] li[data-module="${UI}/echo"]`)).toContainText("The go.mod excludes this version and also requires it");
  await expect(page.locator(`[data-testid="unresolvable"] li[data-module="${CHARLIE}"]`)).toContainText("its go.sum line contradicts what each of them serves");
  await expect(page.getByTestId("goprivate-command")).toHaveText('go env -w GOPRIVATE="github.com/resolve-ghost"');
  await page.screenshot({ path: "test-results/screens/resolve-done-wide.png", fullPage: true });

  // Copy as Markdown: English, absolute permalinks, the failing requirements with every mirror's diagnosis.
  await page.getByTestId("copy-resolve-markdown").click();
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain(`**go.mod resolution #${id}** on Go module mirrors`);
  expect(markdown).toContain(`Permalink: ${BASE}/resolve?id=${id}`);
  expect(markdown).toContain("| goproxy.cn | 4 | 2 | 1 |");
  expect(markdown).toContain("Failing requirements (4 of 9):");
  const late = dto.requirements.find((r) => r.module === LATE);
  expect(markdown).toContain(`- \`${LATE}@v1.1.0\` (indirect): ${BASE}${late?.permalink}`);
  expect(markdown).toContain(`  - ✗ goproxy.cn: not found, not yet on mirror: ${late?.mirrors["goproxy.cn"]?.diagnosis.text}`);
  expect(markdown).toContain('go env -w GOPRIVATE="github.com/resolve-ghost"');
  expect(markdown).not.toContain(`${ALPHA}@v1.2.0\``);

  // The filters are in the URL, so a filtered view reloads (and is shared) as it was.
  const before = await page.getByTestId("resolve-matrix").innerText();
  await page.getByTestId("filter-failing").check();
  await expect(page).toHaveURL(`${BASE}/resolve?id=${id}&failing=1`);
  await expect(rows(page)).toHaveCount(4);
  expect(await rowModules(page)).toEqual(FAILING);
  await page.getByTestId("filter-direct").check();
  await expect(page).toHaveURL(`${BASE}/resolve?id=${id}&failing=1&direct=1`);
  await expect(rows(page)).toHaveCount(3);
  expect(await rowModules(page)).toEqual([GHOST, CHARLIE, REBUILT]);
  await expect(page.getByTestId("rows-shown")).toHaveText("3 of 9 requirements shown");
  await page.reload();
  await expect(page.getByTestId("filter-failing")).toBeChecked();
  await expect(page.getByTestId("filter-direct")).toBeChecked();
  expect(await rowModules(page)).toEqual([GHOST, CHARLIE, REBUILT]);
  await page.getByTestId("filter-failing").uncheck();
  await expect(page).toHaveURL(`${BASE}/resolve?id=${id}&direct=1`);
  expect(await rowModules(page)).toEqual(ROW_ORDER.filter((m) => m !== LATE && m !== BRAVO));
  await page.getByTestId("copy-resolve-permalink").click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${BASE}/resolve?id=${id}&direct=1`);
  await page.getByTestId("filter-direct").uncheck();
  await expect(page).toHaveURL(`${BASE}/resolve?id=${id}`);

  // A cell opens the requirement's version page for that probe, pointing at the cell's mirror.
  const link = cell(page, LATE, "goproxy.cn").locator("a.cell-link");
  await expect(link).toHaveAttribute("href", `${late?.permalink}&mirror=goproxy.cn`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/m/github\\.com/resolve-ui/late@v1\\.1\\.0\\?probe=${late?.probeId}&mirror=goproxy\\.cn$`));
  await expect(page.getByTestId("doctor")).toHaveAttribute("data-probe-id", String(late?.probeId));
  await expect(page.locator('[data-testid="doctor-row"][data-mirror="goproxy.cn"]')).toHaveClass(/highlighted/);
  await expect(page.locator('[data-testid="doctor-row"][data-mirror="goproxy.cn"]')).toHaveAttribute("data-diagnosis", "not_yet_on_mirror");

  // The permalink reloads to the same matrix.
  await page.goto(`/resolve?id=${id}`);
  await expect(page.getByTestId("resolution")).toHaveAttribute("data-status", "done");
  expect(await page.getByTestId("resolve-matrix").innerText()).toBe(before);
  expect(errors).toEqual([]);
  await context.close();
});

test("a go.mod every requirement of which resolves: the GOPROXY to use, with zips", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto("/resolve");
  await page.getByTestId("gomod-input").fill(`module example.com/two\n\ngo 1.21\n\nrequire (\n\t${UI}/hotel v1.2.0\n\t${UI}/late-two v1.1.0\n)\n`);
  await page.getByTestId("zips-toggle").check();
  const id = await submitted(page);
  await expect(page.getByTestId("resolution")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  const dto = await apiResolution(page, id);
  expect(dto.zips).toBe(true);
  const goproxy = dto.advice.goproxy ?? "";
  // A chain that serves both, late-two included (goproxy.cn does not have it yet, so not goproxy.cn alone).
  const goproxyCn = sim.mirrors.find((m) => m.name === "goproxy.cn")?.baseUrl;
  expect(goproxy).not.toBe("");
  expect(goproxy).not.toBe(goproxyCn);
  await expect(page.getByTestId("resolve-advice-command")).toHaveText(`go env -w GOPROXY="${goproxy}"`);
  await expect(page.getByTestId("resolve-advice-reason")).toHaveText(dto.advice.reason);
  await expect(page.getByTestId("resolve-advice-reason")).toContainText(`GOPROXY=${goproxy}`);
  // The advised value is one of those the whole go.mod resolves through.
  await page.getByTestId("whole-chains").locator("summary").click();
  await expect(page.locator(`[data-testid="whole-chains"] tr[data-goproxy="${goproxy}"]`)).toHaveAttribute("data-result", "ok");
  await expect(page.locator(`[data-testid="whole-chains"] tr[data-goproxy="${goproxyCn}"]`)).toHaveAttribute("data-result", "fail");
  await expect(page.getByTestId("unresolvable")).toHaveCount(0);
  await expect(page.getByTestId("resolve-meta")).toContainText(".info, .mod and .zip");
  await expect(cell(page, `${UI}/late-two`, "goproxy.cn")).toHaveAttribute("data-diagnosis", "not_yet_on_mirror");
  await page.screenshot({ path: "test-results/screens/resolve-advice.png", fullPage: true });
  await page.getByTestId("copy-resolve-advice").click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`go env -w GOPROXY="${goproxy}"`);
  await page.getByTestId("copy-resolve-export").click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`export GOPROXY="${goproxy}"`);
  expect(errors).toEqual([]);
  await context.close();
});

test("in Chinese: the form, the matrix, the advice and the API's sentences; the Markdown stays English", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, permissions: ["clipboard-read", "clipboard-write"], viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto("/resolve?lang=zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的构建能解析吗？");
  await expect(page.getByTestId("resolve-submit")).toHaveText("检查所有镜像");
  await page.screenshot({ path: "test-results/screens/resolve-form-zh.png", fullPage: true });
  const hidden = "github.com/resolve-ghost/hidden";
  await page.getByTestId("gomod-input").fill(`module example.com/zh\n\ngo 1.21\n\nrequire (\n\t${UI}/india v1.2.0\n\t${UI}/late-three v1.1.0\n\t${hidden} v0.1.0\n)\n`);
  const id = await submitted(page);
  expect(new URL(page.url()).searchParams.get("lang")).toBe("zh-CN");
  await expect(page.getByTestId("resolution")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await expect(page.getByTestId("resolve-status")).toHaveText("已完成");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`go.mod 解析 #${id}`);
  const zh = await apiResolution(page, id, "zh-CN");
  const en = await apiResolution(page, id, "en");
  const c = cell(page, `${UI}/late-three`, "goproxy.cn");
  await expect(c.locator(".cell-code")).toHaveText("镜像尚未同步");
  await expect(c.locator(".cell-verdict")).toHaveText("✗ 未找到");
  const zhText = zh.requirements.find((r) => r.module === `${UI}/late-three`)?.mirrors["goproxy.cn"]?.diagnosis.text ?? "";
  expect(zhText).toMatch(/[\u4e00-\u9fff]/);
  await expect(c.locator("a.cell-link")).toHaveAttribute("title", zhText);
  await expect(page.getByTestId("resolve-totals").locator("thead")).toContainText("可解析");
  await expect(page.getByTestId("resolve-advice-reason")).toHaveText(zh.advice.reason);
  await expect(page.getByTestId("unresolvable")).toContainText("没有镜像能提供的依赖");
  await expect(page.getByTestId("unresolvable")).toContainText("GOPRIVATE=github.com/resolve-ghost");
  await expect(page.getByText("只看失败的")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/resolve-done-zh.png", fullPage: true });

  await page.getByTestId("copy-resolve-markdown").click();
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain("Failing requirements (2 of 3):");
  expect(markdown).toContain(en.requirements.find((r) => r.module === `${UI}/late-three`)?.mirrors["goproxy.cn"]?.diagnosis.text ?? "missing English text");
  expect(markdown).not.toMatch(/[\u4e00-\u9fff]/);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/screens/resolve-done-zh-phone.png", fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});

test("on a phone the matrix scrolls inside its box, not the page", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto("/resolve");
  await page.screenshot({ path: "test-results/screens/resolve-form-phone.png", fullPage: true });
  await page.getByTestId("gomod-input").fill(`module example.com/phone\n\ngo 1.21\n\nrequire (\n\t${UI}/kilo v1.2.0\n\t${UI}/lima v1.0.0 // indirect\n\t${UI}/late-four v1.1.0\n\tgithub.com/resolve-ghost/unseen v1.0.0\n)\n`);
  await submitted(page);
  await expect(page.getByTestId("resolution")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  const widths = await page.evaluate(() => {
    const box = document.querySelector(".resolve-matrix-scroll");
    return { page: document.documentElement.scrollWidth, viewport: window.innerWidth, box: box?.scrollWidth ?? 0, boxVisible: box?.clientWidth ?? 0 };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);
  expect(widths.box).toBeGreaterThan(widths.boxVisible);
  await page.screenshot({ path: "test-results/screens/resolve-done-phone.png", fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});

test("a go.mod or go.sum the go command refuses: the quoted line next to its box, nothing started", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto("/resolve");
  await page.getByTestId("resolve-submit").click();
  await expect(page.getByTestId("gomod-error")).toHaveText("Paste a go.mod, or drop the file.");

  const bad = "module example.com/bad\n\nrequire foo\n";
  await page.getByTestId("gomod-input").fill(bad);
  await page.getByTestId("resolve-submit").click();
  await expect(page.getByTestId("gomod-error")).toHaveText('go.mod:3: usage: require module/path v1.2.3 (line 3: "require foo")');
  await expect(page.getByTestId("gomod-input")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("gomod-input")).toHaveValue(bad);
  expect(page.url()).toBe(`${BASE}/resolve`);
  await page.screenshot({ path: "test-results/screens/resolve-bad-gomod.png" });

  // Typing in the box clears its error; a bad go.sum is told next to the go.sum box.
  await page.getByTestId("gomod-input").fill(`module example.com/bad\n\nrequire ${UI}/never v1.0.0\n`);
  await expect(page.getByTestId("gomod-error")).toHaveCount(0);
  await page.getByTestId("gosum-input").fill("not a go.sum line\n");
  await page.getByTestId("resolve-submit").click();
  await expect(page.getByTestId("gosum-error")).toContainText("go.sum:1: malformed go.sum");
  await expect(page.getByTestId("gosum-error")).toContainText('(line 1: "not a go.sum line")');
  await expect(page.getByTestId("gomod-error")).toHaveCount(0);
  expect(page.url()).toBe(`${BASE}/resolve`);
  // The API agrees, word for word: the page validates with the API's rules.
  const api = await page.request.post("/api/resolutions", { data: { gomod: bad } });
  expect(api.status()).toBe(400);
  expect(((await api.json()) as { error: string }).error).toBe('go.mod:3: usage: require module/path v1.2.3 (line 3: "require foo")');
  expect(sim.log().filter((entry) => entry.module === `${UI}/never`)).toEqual([]);
  expect(errors).toEqual([]);
});

test("an unknown or malformed id: a clear panel and the way back to the form", async ({ page }) => {
  await page.goto("/resolve?id=987654");
  await expect(page.getByTestId("resolution-missing")).toContainText("Resolution #987654 does not exist.");
  await page.getByRole("link", { name: "Check another go.mod" }).click();
  await expect(page).toHaveURL(`${BASE}/resolve`);
  await expect(page.getByTestId("resolve-form")).toBeVisible();
  await page.goto("/resolve?id=abc");
  await expect(page.getByTestId("resolve-invalid-id")).toHaveText('"abc" is not a resolution id (a positive whole number).');
  await expect(page.getByTestId("resolve-form")).toBeVisible();
});
