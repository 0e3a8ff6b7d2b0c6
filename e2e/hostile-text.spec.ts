import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { Browser, Page } from "@playwright/test";
import { markdownText } from "../lib/report/markdown-text";
import { watchConsole, watchCsp } from "./console-errors";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { HOSTILE_MODULE, HOSTILE_REFERENCE, HOSTILE_TEXTS, PAYLOADS, hostileScenario } from "./mirror-sim/scenarios/hostile";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { requestFrom } from "./support/loopback-client";

/*
 * Untrusted text (issue 9/11, headers and hygiene): mirrors answer with HTML and script in their 404/410/502 bodies
 * and serve a go.mod whose deprecation and retract rationale are HTML (e2e/mirror-sim/scenarios/hostile.ts). Every
 * page that shows such text, in English and Chinese, must show it as text: literally there, no element of it in
 * the DOM, no dialog, no Content-Security-Policy violation. The CSP would stop an injected handler anyway; the DOM
 * check is what proves the text never became markup.
 */

const PORT = 3117;
const BASE = `http://localhost:${PORT}`;
const LANGS = ["en", "zh-CN"] as const;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });

let sim: MirrorSim;
let app: AppProcess;
let dir: string;
let probeId: number;
let retractedProbeId: number;
let resolutionId: number;

test.beforeAll(async ({ request }) => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-hostile-"));
  sim = await startMirrorSim(hostileScenario());
  app = startAppProcess(PORT, { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: HOSTILE_REFERENCE, DATABASE_PATH: join(dir, "hostile.db"), SUMDB: "off" });
  await waitForApp(app);
  expect((await request.post(`${BASE}/api/checks`, { data: { module: HOSTILE_MODULE } })).status()).toBe(200);
  const probe = await request.post(`${BASE}/api/probes`, { data: { module: HOSTILE_MODULE, version: "v1.1.0" } });
  expect(probe.status()).toBe(200);
  probeId = ((await probe.json()) as { probe: { id: number } }).probe.id;
  const retractedProbe = await request.post(`${BASE}/api/probes`, { data: { module: HOSTILE_MODULE, version: "v1.0.0" } });
  expect(retractedProbe.status()).toBe(200);
  retractedProbeId = ((await retractedProbe.json()) as { probe: { id: number } }).probe.id;
  const gomod = `module example.com/victim\n\ngo 1.21\n\nrequire ${HOSTILE_MODULE} v1.1.0\n`;
  const started = await request.post(`${BASE}/api/resolutions`, { data: { gomod } });
  expect(started.status()).toBe(202);
  resolutionId = ((await started.json()) as { resolution: { id: number } }).resolution.id;
  await expect
    .poll(async () => ((await (await request.get(`${BASE}/api/resolutions/${resolutionId}`)).json()) as { resolution: { status: string } }).resolution.status, { timeout: 30_000 })
    .not.toBe("running");
});

test.afterAll(async () => {
  if (app) {
    app.child.kill("SIGTERM");
    await exited(app.child);
  }
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Elements and handlers the payloads would create if a page rendered them as HTML. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const suspicious = Array.from(document.querySelectorAll('[onerror], [onload], img[src="x"], a[href^="javascript:" i], iframe, object, embed'));
    // Next's own inline scripts carry the request's nonce (its flight data holds the texts as JSON strings); a
    // script made from a mirror's text would have none, or be the payload itself.
    const scripts = Array.from(document.scripts).filter((s) => (!s.src && s.nonce === "") || (s.textContent ?? "").trim().startsWith("alert("));
    return [...suspicious, ...scripts].map((e) => e.outerHTML.slice(0, 200));
  });
}

type Visit = { page: Page; errors: string[]; dialogs: string[] };

async function open(browser: Browser, path: string, lang: string): Promise<Visit> {
  const context = await browser.newContext({ baseURL: BASE, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const errors = watchConsole(page);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  return { page, errors, dialogs };
}

/** The text is on the page as text (textContent also reads closed <details> and <pre> line breaks), and nothing ran. */
async function expectOnlyText(visit: Visit, texts: string[]) {
  const { page, errors, dialogs } = visit;
  await page.waitForLoadState("networkidle");
  const body = (await page.locator("body").textContent()) ?? "";
  for (const text of texts) expect(body, text).toContain(text);
  expect(await injected(page)).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await page.context().close();
}

/** Markdown a tracker renders: outside fenced blocks no "<" or "[" is left unescaped. */
function expectInertMarkdown(markdown: string) {
  const outside = markdown.replace(/^( *)(`{3,})[^\n]*\n[\s\S]*?\n\1\2$/gm, "");
  expect(outside).not.toMatch(/(?<!\\)[<[]/);
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

for (const lang of LANGS) {
  test(`module page (${lang}): deprecation, retract rationale and the mirrors' 410 and 502 bodies are text`, async ({ browser }) => {
    const visit = await open(browser, `/m/${HOSTILE_MODULE}`, lang);
    await expect(visit.page.getByTestId("retractions")).toContainText(HOSTILE_TEXTS.rationale);
    await expect(visit.page.getByTestId("summary-table")).toContainText(HOSTILE_TEXTS.deprecated);
    if (lang === "en") {
      await visit.page.getByTestId("copy-markdown").click();
      const markdown = await visit.page.evaluate(() => navigator.clipboard.readText());
      // The servers' responses are fenced, line for line; the first line of the 502 is what the client kept.
      for (const line of HOSTILE_TEXTS.gone.split("\n")) expect(markdown).toContain(`  ${line}`);
      expect(markdown).toContain(`  @v/list: HTTP 502: ${HOSTILE_TEXTS.broken}`);
      expectInertMarkdown(markdown);
    }
    await expectOnlyText(visit, [HOSTILE_TEXTS.deprecated, HOSTILE_TEXTS.rationale, HOSTILE_TEXTS.gone, `HTTP 502: ${HOSTILE_TEXTS.broken}`]);
  });

  test(`version pages (${lang}): the retracted version's rationale, the probe's 404 bodies and the doctor's words are text`, async ({ browser }) => {
    const retracted = await open(browser, `/m/${HOSTILE_MODULE}@v1.0.0?probe=${retractedProbeId}`, lang);
    await expect(retracted.page.getByTestId("version-detail")).toBeVisible();
    await expect(retracted.page.getByTestId("doctor-row")).toHaveCount(3);
    if (lang === "en") {
      await retracted.page.getByTestId("copy-probe-markdown").click();
      expectInertMarkdown(await retracted.page.evaluate(() => navigator.clipboard.readText()));
    }
    await expectOnlyText(retracted, [HOSTILE_TEXTS.rationale]);

    const probed = await open(browser, `/m/${HOSTILE_MODULE}@v1.1.0?probe=${probeId}`, lang);
    const broken = probed.page.locator('[data-testid="doctor-row"][data-mirror="broken"]');
    await expect(broken).toHaveAttribute("data-verdict", /.+/);
    await expect(broken).toContainText(PAYLOADS.script);
    if (lang === "en") {
      await probed.page.getByTestId("copy-probe-markdown").click();
      const markdown = await probed.page.evaluate(() => navigator.clipboard.readText());
      expect(markdown).toContain(`mirrorlag probe #${probeId}`);
      expect(markdown).toContain(markdownText(PAYLOADS.script));
      expectInertMarkdown(markdown);
    }
    await expectOnlyText(probed, [HOSTILE_TEXTS.brokenVersion.replace(/^not found: /, "")]);
  });

  test(`/resolve result (${lang}): each mirror's words for the hostile requirement are text`, async ({ browser }) => {
    const visit = await open(browser, `/resolve?id=${resolutionId}`, lang);
    await expect(visit.page.getByTestId("resolve-matrix")).toContainText(HOSTILE_MODULE);
    if (lang === "en") {
      await visit.page.getByTestId("copy-resolve-markdown").click();
      const markdown = await visit.page.evaluate(() => navigator.clipboard.readText());
      expect(markdown).toContain(HOSTILE_MODULE);
      expectInertMarkdown(markdown);
    }
    await expectOnlyText(visit, [PAYLOADS.script]);
  });
}

test("a page that does not exist: our own 404 page in both languages, which keeps the policy (Next's own has style attributes)", async ({ page }) => {
  const csp = watchCsp(page);
  for (const [lang, title] of [["en", "Page not found"], ["zh-CN", "页面不存在"]] as const) {
    const response = await page.goto(`/no-such-page?lang=${lang}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("not-found-page").getByRole("heading", { level: 1 })).toHaveText(title);
  }
  expect(csp).toEqual([]);
});

test("the JSON API returns the hostile texts as JSON strings, under the strict data policy", async ({ request }) => {
  const answers = [
    await request.get(`/api/modules/${HOSTILE_MODULE}`),
    await request.get(`/api/modules/${HOSTILE_MODULE}?version=v1.0.0`),
    await request.get(`/api/probes/${probeId}`),
    await request.get(`/api/resolutions/${resolutionId}`),
  ];
  const texts: string[] = [];
  for (const answer of answers) {
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toMatch(/^application\/json/);
    expect(answer.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(answer.headers()["x-content-type-options"]).toBe("nosniff");
    texts.push(...strings(await answer.json()));
  }
  for (const text of [HOSTILE_TEXTS.deprecated, HOSTILE_TEXTS.rationale, HOSTILE_TEXTS.gone, `HTTP 502: ${HOSTILE_TEXTS.broken}`]) {
    expect(texts.some((s) => s.includes(text)), text).toBe(true);
  }
  expect(texts.some((s) => s.includes(HOSTILE_TEXTS.brokenVersion))).toBe(true);
});

test("HSTS: sent when a trusted proxy (TRUST_PROXY=loopback) says https, never for a forged stamp or plain http", async () => {
  const hsts = async (headers: Record<string, string>) => (await requestFrom("127.0.0.1", PORT, "GET", "/", undefined, headers)).headers["strict-transport-security"];
  expect(await hsts({ "x-forwarded-proto": "https" })).toBe("max-age=31536000; includeSubDomains");
  expect((await requestFrom("127.0.0.1", PORT, "GET", "/api/suggest?q=x", undefined, { "x-forwarded-proto": "https" })).headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  expect(await hsts({})).toBeUndefined();
  expect(await hsts({ "x-forwarded-proto": "http" })).toBeUndefined();
  // Only our HTTP server sets the stamp: a client's copy is replaced.
  expect(await hsts({ "x-mirrorlag-scheme": "https", "X-Mirrorlag-Scheme": "https" })).toBeUndefined();
});
