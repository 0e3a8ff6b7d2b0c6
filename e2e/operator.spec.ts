import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";
import { watchCsp } from "./console-errors";
import { issueSession } from "../lib/server/operator";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { readE2eState } from "./e2e-state";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { actionId, actionRequest } from "./support/server-action";

/*
 * Who may change what (issue 9/11), attacked as a stranger would: every mutating operator endpoint (the watch API,
 * the watch server action) called without credentials, with a wrong token, a forged or expired session cookie, and
 * from behind a proxy, on three instances: the e2e app (loopback, no token), one with ADMIN_TOKEN, and one listening
 * on every interface without a token. Each refusal is checked for its status and for having changed nothing.
 */

const TOKEN = "e2e-operator-token-0123456789abcdef";
const TOKEN_PORT = 3114;
const OPEN_PORT = 3115;
const MODULE = "github.com/operator-test/mod";
const remote = (n: number) => ({ "x-forwarded-for": `198.51.100.${n}` });

let sim: MirrorSim;
let withToken: AppProcess;
let exposed: AppProcess;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-operator-"));
  sim = await startMirrorSim({
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: [{ path: MODULE, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${MODULE}\n\ngo 1.21\n` }] }],
    mirrors: [{ name: "ref", style: "proxy.golang.org" }],
  });
  const env = (name: string) => ({ MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: "ref", DATABASE_PATH: join(dir, `${name}.db`) });
  withToken = startAppProcess(TOKEN_PORT, { ...env("token"), ADMIN_TOKEN: TOKEN });
  exposed = startAppProcess(OPEN_PORT, env("open"), [], { hostname: "0.0.0.0" });
  await Promise.all([waitForApp(withToken), waitForApp(exposed)]);
  for (const base of [withToken.baseUrl, exposed.baseUrl]) {
    const res = await fetch(`${base}/api/checks`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ module: MODULE }) });
    expect(res.status).toBe(200);
  }
});

test.afterAll(async () => {
  for (const app of [withToken, exposed]) {
    app.child.kill("SIGTERM");
    await exited(app.child);
  }
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The module page as an anonymous visitor sees it: the watch state, read-only. */
async function watchState(page: Page, base: string, module: string): Promise<string> {
  await page.goto(`${base}/m/${module}`);
  return (await page.getByTestId("watch-state").textContent()) ?? "";
}

async function watchApi(request: APIRequestContext, base: string, method: "PUT" | "DELETE", headers: Record<string, string>) {
  return request.fetch(`${base}/api/watches/${MODULE}`, { method, headers });
}

test.describe("with ADMIN_TOKEN", () => {
  test("anonymous, wrong-token, forged and expired calls of the watch API are 401 and change nothing", async ({ request, page }) => {
    const csp = watchCsp(page);
    const base = withToken.baseUrl;
    const expired = issueSession(TOKEN, Date.now() - 13 * 3600 * 1000);
    const otherToken = issueSession(`${TOKEN}-not-this-one`, Date.now());
    const attempts: Record<string, string>[] = [
      remote(1),
      { ...remote(2), authorization: `Bearer ${TOKEN}x` },
      { ...remote(3), authorization: TOKEN },
      { ...remote(4), cookie: "mirrorlag_operator=v1.99999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
      { ...remote(5), cookie: `mirrorlag_operator=${expired}` },
      { ...remote(6), cookie: `mirrorlag_operator=${otherToken}` },
      // Loopback is nothing special once there is a token.
      {},
    ];
    for (const headers of attempts) {
      for (const method of ["PUT", "DELETE"] as const) {
        const res = await watchApi(request, base, method, headers);
        expect(res.status(), `${method} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers()["www-authenticate"]).toBe('Bearer realm="mirrorlag operator"');
      }
    }
    // The server action, called directly as any client can: refused in the same words, nothing changed.
    const action = actionId("app/actions.ts", "setWatchedAction");
    const direct = await request.post(`${base}/`, actionRequest(action, { module: MODULE, watched: false }, remote(7)));
    expect(await direct.text()).toContain('"code":"forbidden"');
    expect(await watchState(page, base, MODULE)).toContain("watched: re-checked by the poller");
    expect(csp).toEqual([]);
  });

  test("the token as a Bearer header watches and un-watches; too many failures lock a client out for a while", async ({ request, page }) => {
    const csp = watchCsp(page);
    const base = withToken.baseUrl;
    const off = await watchApi(request, base, "DELETE", { ...remote(20), authorization: `Bearer ${TOKEN}` });
    expect(off.status()).toBe(200);
    expect(await off.json()).toEqual({ module: MODULE, watched: false });
    expect(await watchState(page, base, MODULE)).toContain("not watched");
    const on = await watchApi(request, base, "PUT", { ...remote(20), authorization: `Bearer ${TOKEN}` });
    expect(await on.json()).toEqual({ module: MODULE, watched: true });
    // Ten wrong tokens from one client, then even the right one waits: guessing costs a window per ten tries.
    for (let i = 0; i < 10; i++) expect((await watchApi(request, base, "PUT", { ...remote(21), authorization: `Bearer wrong-${i}` })).status()).toBe(401);
    const locked = await watchApi(request, base, "PUT", { ...remote(21), authorization: `Bearer ${TOKEN}` });
    expect(locked.status()).toBe(429);
    expect(Number(locked.headers()["retry-after"])).toBeGreaterThan(0);
    // Another client is not affected.
    expect((await watchApi(request, base, "PUT", { ...remote(22), authorization: `Bearer ${TOKEN}` })).status()).toBe(200);
    expect(csp).toEqual([]);
  });

  test("signing in sets an httpOnly, SameSite=Strict session cookie that makes the watch toggle appear", async ({ page }) => {
    const csp = watchCsp(page);
    const base = withToken.baseUrl;
    await page.goto(`${base}/operator`);
    await expect(page.getByTestId("operator-page")).toHaveAttribute("data-mode", "token");
    await page.getByLabel("Operator token").fill("not the token at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("That is not the operator's token.");
    await page.getByLabel("Operator token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("operator-status")).toHaveText("You are the operator (signed in).");
    const cookie = (await page.context().cookies(base)).find((c) => c.name === "mirrorlag_operator");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    await page.goto(`${base}/m/${MODULE}`);
    const toggle = page.getByTestId("watch-toggle");
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    await page.goto(`${base}/operator`);
    await page.getByTestId("sign-out").click();
    await expect(page.getByTestId("operator-status")).toHaveText("You are not the operator.");
    expect(csp).toEqual([]);
  });
});

test.describe("without ADMIN_TOKEN", () => {
  test("listening beyond loopback: nobody is the operator, the API says why with 403", async ({ request, page }) => {
    const csp = watchCsp(page);
    const base = exposed.baseUrl;
    const status = await (await request.get(`${base}/api/operator`)).json();
    expect(status).toMatchObject({ operator: false, reason: "disabled", mode: "disabled" });
    for (const method of ["PUT", "DELETE"] as const) {
      const res = await watchApi(request, base, method, {});
      expect(res.status()).toBe(403);
      expect((await res.json()).error).toBe("operator actions are disabled: this instance listens beyond loopback and has no ADMIN_TOKEN");
    }
    await page.goto(`${base}/operator`);
    await expect(page.getByTestId("operator-page")).toHaveAttribute("data-mode", "disabled");
    expect(await watchState(page, base, MODULE)).toContain("watched");
    expect(csp).toEqual([]);
  });

  test("listening on loopback (the e2e app): this machine is the operator, a request a proxy passed on is not", async ({ request, page }) => {
    const csp = watchCsp(page);
    const { modules } = readE2eState();
    const watchedModule = modules[0];
    if (!watchedModule) throw new Error("the demo scenario has modules");
    expect(await (await request.get("/api/operator")).json()).toMatchObject({ operator: true, via: "loopback", mode: "loopback" });
    expect(await (await request.get("/api/operator", { headers: remote(30) })).json()).toMatchObject({ operator: false, reason: "no_credentials" });
    for (const method of ["PUT", "DELETE"] as const) {
      const res = await request.fetch(`/api/watches/${watchedModule}`, { method, headers: remote(31) });
      expect(res.status()).toBe(401);
    }
    const action = actionId("app/actions.ts", "setWatchedAction");
    expect(await (await request.post("/", actionRequest(action, { module: watchedModule, watched: false }, remote(32)))).text()).toContain('"code":"forbidden"');
    // Still watched, as this machine's browser (the operator) sees it.
    await page.goto(`/m/${watchedModule}`);
    await expect(page.getByTestId("watch-toggle")).toHaveAttribute("aria-pressed", "true");
    expect(csp).toEqual([]);
  });
});
