import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { watchConsole } from "./console-errors";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { DOCTOR_CASES, DOCTOR_MIRRORS, DOCTOR_REFERENCE, doctorScenario } from "./mirror-sim/scenarios/doctor";
import type { DiagnosisCode } from "./mirror-sim/scenarios/doctor";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";

/*
 * The version doctor in the browser: its own app server (own port and database) against the doctor scenario's
 * simulated mirrors and checksum database, frozen at DOCTOR_START, so each mirror's diagnosis is the one
 * DOCTOR_CASES promises. Every test probes versions no other test here probes.
 */

const PORT = 3110;
const BASE = `http://localhost:${PORT}`;
const JWT5 = "github.com/golang-jwt/jwt/v5";
const JWT4 = "github.com/golang-jwt/jwt/v4";
const SEMVER3 = "github.com/Masterminds/semver/v3";
const PROTOBUF = "github.com/golang/protobuf";
const SARAMA = "github.com/IBM/sarama";

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });

let sim: MirrorSim;
let app: AppProcess;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-doctor-e2e-"));
  sim = await startMirrorSim(doctorScenario());
  if (!sim.sumdb) throw new Error("the doctor scenario has a checksum database");
  app = startAppProcess(PORT, { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: DOCTOR_REFERENCE, DATABASE_PATH: join(dir, "doctor.db"), SUMDB: sim.sumdb.gosumdb });
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

type ProbeJson = {
  id: number;
  module: string;
  version: string;
  permalink: string;
  sumdb: { verified: boolean; zipH1: string | null; modH1: string | null };
  mirrors: Record<string, { baseUrl: string; verdict: string; diagnosis: { code: DiagnosisCode; text: string } }>;
  goproxy: { chains: { goproxy: string }[]; advice: { goproxy: string; reason: string } };
};

function expected(module: string, version: string): Record<string, DiagnosisCode> {
  const found = DOCTOR_CASES.find((c) => c.module === module && c.version === version);
  if (!found) throw new Error(`${module}@${version} is not one of DOCTOR_CASES`);
  return found.expect;
}

const permalinkPattern = (module: string, version: string) => new RegExp(`/m/${module.replace(/[/.]/g, "\\$&")}@${version.replace(/\./g, "\\.")}\\?probe=(\\d+)`);

/** Waits for the page's own probe to land on its permalink, and reads that probe through the API. */
async function landedProbe(page: Page, module: string, version: string, lang = "en"): Promise<ProbeJson> {
  await expect(page).toHaveURL(permalinkPattern(module, version), { timeout: 30_000 });
  const id = new URL(page.url()).searchParams.get("probe");
  const response = await page.request.get(`/api/probes/${id}?lang=${lang}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { probe: ProbeJson }).probe;
}

/** Each mirror's row says what the scenario promises, in the words the API gives for that probe. */
async function expectRows(page: Page, probe: ProbeJson, codes: Record<string, DiagnosisCode>) {
  await expect(page.getByTestId("doctor-row")).toHaveCount(DOCTOR_MIRRORS.length);
  for (const mirror of DOCTOR_MIRRORS) {
    const row = page.locator(`[data-testid="doctor-row"][data-mirror="${mirror}"]`);
    await expect(row).toHaveAttribute("data-diagnosis", codes[mirror] ?? "");
    await expect(row).toHaveAttribute("data-verdict", probe.mirrors[mirror]?.verdict ?? "");
    const text = probe.mirrors[mirror]?.diagnosis.text ?? "";
    expect(text.length).toBeGreaterThan(10);
    await expect(row.getByTestId("diagnosis")).toHaveText(text);
  }
}

test("a served version: the page probes on open, shows its progress, lands on the permalink, and reloads the same", async ({ page }) => {
  const errors = watchConsole(page);
  // Hold the server action until the progress line has been seen: on loopback the probe is faster than a poll.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname.startsWith("/m/"),
    async (route) => {
      if (route.request().method() === "POST" && route.request().headers()["next-action"]) await held;
      await route.continue();
    },
  );
  await page.goto(`/m/${JWT5}@v5.3.1`);
  // The page is not blocked on the probe: the version's section is there while the mirrors are being asked.
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${JWT5}@v5.3.1`);
  await expect(page.getByTestId("probe-progress")).toContainText(`Asking ${DOCTOR_MIRRORS.length} mirrors for .info, .mod, .zip and the checksum database…`);
  await page.screenshot({ path: "test-results/screens/doctor-progress.png" });
  release();

  const probe = await landedProbe(page, JWT5, "v5.3.1");
  await expect(page.getByTestId("probe-progress")).toHaveCount(0);
  await expectRows(page, probe, expected(JWT5, "v5.3.1"));
  await expect(page.getByTestId("probe-meta")).toContainText(`Probe #${probe.id}`);
  await expect(page.getByTestId("probe-meta")).toContainText("fetching");

  // The checksum database line carries the verified record; every served hash is checked against it.
  expect(probe.sumdb.verified).toBe(true);
  await expect(page.getByTestId("sumdb-line")).toHaveAttribute("data-verified", "true");
  await expect(page.getByTestId("sumdb-line")).toContainText(probe.sumdb.zipH1 ?? "missing zip h1");
  await expect(page.locator('[data-testid="doctor-row"] [data-h1="match"]')).toHaveCount(2 * DOCTOR_MIRRORS.length);
  await expect(page.getByTestId("advice-command")).toHaveText(`go env -w GOPROXY="${probe.goproxy.advice.goproxy}"`);
  await expect(page.getByTestId("advice-reason")).toHaveText(probe.goproxy.advice.reason);

  // The timeline of the version stays, below the doctor.
  const doctorBox = await page.getByTestId("doctor").boundingBox();
  const detailBox = await page.getByTestId("version-detail").boundingBox();
  expect(doctorBox && detailBox && doctorBox.y < detailBox.y).toBe(true);

  const before = await page.getByTestId("doctor").innerText();
  const url = page.url();
  await page.unroute((u) => u.pathname.startsWith("/m/"));
  await page.reload();
  await expect(page.getByTestId("doctor")).toHaveAttribute("data-probe-id", String(probe.id));
  expect(page.url()).toBe(url);
  expect(await page.getByTestId("doctor").innerText()).toBe(before);
  await expect(page.getByTestId("probe-history")).toContainText(`#${probe.id}`);

  // Each mirror alone and with ,direct first; every predicted value on request.
  const chains = page.getByTestId("chains").locator("tbody tr");
  const alone = Object.values(probe.mirrors).flatMap((m) => [m.baseUrl, `${m.baseUrl},direct`]);
  await expect(chains).toHaveCount(new Set([...alone, probe.goproxy.advice.goproxy]).size);
  await page.getByTestId("show-all-chains").click();
  await expect(chains).toHaveCount(probe.goproxy.chains.length);
  await page.screenshot({ path: "test-results/screens/doctor-served.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("a checksum mismatch: the mirror's row says so, and Copy as Markdown carries diagnosis, advice and permalink", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/m/${SEMVER3}@v3.3.1`);
  const probe = await landedProbe(page, SEMVER3, "v3.3.1");
  await expectRows(page, probe, expected(SEMVER3, "v3.3.1"));
  const bad = page.locator('[data-testid="doctor-row"][data-mirror="proxy.golang.com.cn"]');
  await expect(bad).toHaveAttribute("data-verdict", "mismatch");
  await expect(bad.locator('[data-h1="differ"]')).toHaveCount(1);
  await expect(bad.getByTestId("go-error")).toContainText("checksum mismatch");
  await expect(bad.getByTestId("go-error")).toContainText("SECURITY ERROR");

  await page.getByTestId("copy-probe-permalink").click();
  const permalink = await page.evaluate(() => navigator.clipboard.readText());
  expect(permalink).toBe(`${BASE}${probe.permalink}`);
  await page.getByTestId("copy-probe-markdown").click();
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain(`**${SEMVER3}@v3.3.1** on Go module mirrors: mirrorlag probe #${probe.id}`);
  for (const mirror of DOCTOR_MIRRORS) expect(markdown).toContain(probe.mirrors[mirror]?.diagnosis.text.replace(/\|/g, "\\|").replace(/\n/g, " "));
  expect(markdown).toContain(`GOPROXY advice: \`${probe.goproxy.advice.goproxy}\`: ${probe.goproxy.advice.reason}`);
  expect(markdown).toContain(`go env -w GOPROXY="${probe.goproxy.advice.goproxy}"`);
  expect(markdown).toContain("checksum mismatch");
  expect(markdown).toContain(`Evidence: ${permalink}`);
  await page.screenshot({ path: "test-results/screens/doctor-mismatch.png", fullPage: true });
  // The longest words of the page (the module path in each sentence, the h1s) wrap on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  expect(errors).toEqual([]);
  await context.close();
});

test("on a phone the doctor reflows instead of widening the page, and Chinese comes with Chinese diagnoses", async ({ browser, request }) => {
  const context = await browser.newContext({ baseURL: BASE, locale: "zh-CN", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(`/m/${PROTOBUF}@v1.5.4`);
  const probe = await landedProbe(page, PROTOBUF, "v1.5.4", "zh-CN");
  await expect(page.getByRole("heading", { name: "版本诊断" })).toBeVisible();
  await expectRows(page, probe, expected(PROTOBUF, "v1.5.4"));
  // The page's words are the probe's own in Chinese, not the English ones.
  const english = ((await (await request.get(`${BASE}/api/probes/${probe.id}?lang=en`)).json()) as { probe: ProbeJson }).probe;
  expect(probe.mirrors["goproxy.cn"]?.diagnosis.text).not.toBe(english.mirrors["goproxy.cn"]?.diagnosis.text);
  await expect(page.locator('[data-mirror="goproxy.cn"]').getByTestId("go-error")).toContainText("502 Bad Gateway");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/screens/doctor-phone-zh.png", fullPage: true });
  expect(errors).toEqual([]);
  await context.close();
});

test("?fetch=0 probes passively; the toggle and Probe again make a new, fetching probe with its own permalink", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`/m/${SARAMA}@v1.60.1?fetch=0`);
  const passive = await landedProbe(page, SARAMA, "v1.60.1");
  const passiveJson = (await (await page.request.get(`/api/probes/${passive.id}`)).json()) as { probe: { fetch: boolean } };
  expect(passiveJson.probe.fetch).toBe(false);
  await expect(page.getByTestId("probe-meta")).toContainText("passive");
  const toggle = page.getByTestId("fetch-toggle");
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.getByTestId("probe-again").click();
  await expect(page).not.toHaveURL(new RegExp(`probe=${passive.id}(&|$)`));
  const fetching = await landedProbe(page, SARAMA, "v1.60.1");
  expect(fetching.id).toBeGreaterThan(passive.id);
  await expect(page.getByTestId("probe-meta")).toContainText("fetching");
  await expectRows(page, fetching, expected(SARAMA, "v1.60.1"));
  // Both stay reachable: the history links the passive one, and Back returns to it.
  await page.getByTestId("probe-history").locator("summary").click();
  await expect(page.getByTestId("probe-history").getByRole("link", { name: new RegExp(`^#${passive.id} `) })).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("doctor")).toHaveAttribute("data-probe-id", String(passive.id));
  expect(errors).toEqual([]);
});

test("a probe id of another version says so and links to its own page", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(`/m/${JWT5}@v5.4.0`);
  const probe = await landedProbe(page, JWT5, "v5.4.0");
  await expectRows(page, probe, expected(JWT5, "v5.4.0"));
  await page.goto(`/m/${JWT5}@v5.3.0?probe=${probe.id}`);
  await expect(page.getByTestId("probe-elsewhere").getByRole("alert")).toHaveText(`Probe #${probe.id} is a probe of ${JWT5}@v5.4.0, not of this version.`);
  await page.getByRole("link", { name: `Open probe #${probe.id}` }).click();
  await expect(page).toHaveURL(`${BASE}${probe.permalink}`);
  await expect(page.getByTestId("doctor")).toHaveAttribute("data-probe-id", String(probe.id));
  await page.goto(`/m/${JWT5}@v5.4.0?probe=999999`);
  await expect(page.getByTestId("probe-missing").getByRole("alert")).toHaveText("Probe #999999 does not exist.");
  expect(errors).toEqual([]);
});

test("@latest probes what it resolves to on the reference, then shows that version's permalink", async ({ page, request }) => {
  const errors = watchConsole(page);
  await page.goto(`/m/${JWT4}@latest`);
  await expect(page).toHaveURL(/\/m\/github\.com\/golang-jwt\/jwt\/v4@v\d+\.\d+\.\d+\?probe=\d+$/, { timeout: 30_000 });
  const id = new URL(page.url()).searchParams.get("probe");
  const { probe } = (await (await request.get(`${BASE}/api/probes/${id}`)).json()) as { probe: ProbeJson & { requested: string } };
  expect(probe.requested).toBe("latest");
  expect(page.url()).toContain(`@${probe.version}?`);
  await expect(page.getByTestId("probe-meta")).toContainText(`@latest resolved to ${probe.version} on ${DOCTOR_REFERENCE}.`);
  expect(errors).toEqual([]);
});

test("the home search box: M@V and a pasted go error line both open the doctor; bad input is explained inline", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto("/");
  const input = page.getByRole("combobox", { name: "Go module" });
  const status = page.locator("#module-search-status");

  await input.fill("go get github.com/x/y@vbad");
  await expect(status.getByRole("alert")).toHaveText("github.com/x/y@vbad: invalid version: not a semantic version");
  await input.press("Enter");
  await expect(page).toHaveURL(`${BASE}/`);

  await input.fill(`${JWT4}@v4.4.0`);
  await expect(status).toContainText(`Opens the version doctor for ${JWT4}@v4.4.0.`);
  await input.press("Enter");
  const retracted = await landedProbe(page, JWT4, "v4.4.0");
  await expectRows(page, retracted, expected(JWT4, "v4.4.0"));

  // What the go command printed through goproxy.cn, pasted whole (two lines); the row of that mirror is pointed at.
  const goproxyCn = sim.mirrors.find((m) => m.name === "goproxy.cn");
  if (!goproxyCn) throw new Error("the doctor scenario has goproxy.cn");
  const pasted = [
    `go: ${SEMVER3}@v3.4.0: reading ${goproxyCn.baseUrl.replace(/\/$/, "")}/github.com/%21masterminds/semver/v3/@v/v3.4.0.info: 404 Not Found`,
    `\tserver response: not found: ${SEMVER3}@v3.4.0: invalid version: unknown revision v3.4.0`,
  ].join("\n");
  await page.goto("/");
  await input.focus();
  await input.evaluate((element, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, pasted);
  await expect(input).toHaveValue(pasted.replace(/\s*\n\s*/g, " "));
  await expect(status).toContainText(`Opens the version doctor for ${SEMVER3}@v3.4.0, pointing at`);
  await input.press("Enter");
  const lagging = await landedProbe(page, SEMVER3, "v3.4.0");
  expect(new URL(page.url()).searchParams.get("mirror")).toBe("goproxy.cn");
  await expectRows(page, lagging, expected(SEMVER3, "v3.4.0"));
  const row = page.locator('[data-testid="doctor-row"][data-mirror="goproxy.cn"]');
  await expect(row).toHaveAttribute("aria-current", "true");
  await expect(row).toContainText("from your error");
  await expect(page.locator('[data-testid="doctor-row"][aria-current]')).toHaveCount(1);
  await page.screenshot({ path: "test-results/screens/doctor-from-error.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("probe: v2.0.0 of a path without /v2 is the mirrors' to refuse, and the reference's refusal is the diagnosis", async ({ request }) => {
  // Only the form is checked on the way in (the go command sends such a version to the proxy too). Here, not in
  // bad-input.spec.ts: the probe makes the module known and watched, which the shared app's home specs would count.
  const modulePath = "github.com/skanehira/clipboard-image";
  const reference = DOCTOR_REFERENCE;
  const res = await request.post("/api/probes", { data: { module: modulePath, version: "v2.0.0" } });
  expect(res.status()).toBe(200);
  const ref = (await res.json()).probe.mirrors[reference];
  expect(ref.diagnosis.code).toBe("invalid_version");
  expect(ref.info).toMatchObject({ outcome: "not_found", status: 404 });
  expect(ref.info.message).toBe(`not found: ${modulePath}@v2.0.0: invalid version: module contains a go.mod file, so module path must match major version ("${modulePath}/v2")`);
});
