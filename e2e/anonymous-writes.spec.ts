import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { issueSession } from "../lib/server/operator";
import { startMirrorSim } from "./mirror-sim";
import type { MirrorSim } from "./mirror-sim";
import { exited, startAppProcess, waitForApp } from "./support/app-process";
import type { AppProcess } from "./support/app-process";
import { requestFrom } from "./support/loopback-client";
import { actionId } from "./support/server-action";

/*
 * Abuse suite (issue 9/11): every endpoint that changes something, found by reading the app's own sources (route
 * handlers' POST/PUT/PATCH/DELETE and every "use server" export), must be listed below as open to anyone or as the
 * operator's. A new one fails this test until it is classified. Each operator endpoint is then called without
 * credentials, with a wrong token, a forged and an expired session cookie, on an instance with ADMIN_TOKEN that
 * listens on loopback (no token, no operator), and must answer 401/403 and change nothing.
 */

const PORT = 3122;
const TOKEN = "anonymous-writes-token-0123456789abcdef";
const MODULE = "github.com/anonymous-test/mod";

/** Mutating endpoints anyone may call (rate-limited, validated): checks, probes, resolutions, signing in and out. */
const PUBLIC = [
  "POST /api/checks",
  "POST /api/probes",
  "POST /api/resolutions",
  "action app/actions.ts#checkModuleAction",
  "action app/actions.ts#probeVersionAction",
  "action app/resolve/actions.ts#startResolutionAction",
  "action app/operator/actions.ts#signInAction",
  "action app/operator/actions.ts#signOutAction",
];
/** The operator's alone. */
const OPERATOR = ["PUT /api/watches/[...module]", "DELETE /api/watches/[...module]", "DELETE /api/modules/[...module]", "action app/actions.ts#setWatchedAction"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** What the sources declare: "METHOD /route" for route handlers, "action file#name" for server actions. */
function mutatingEndpoints(): string[] {
  const found: string[] = [];
  for (const file of filesUnder("app").filter((f) => /\.(ts|tsx)$/.test(f))) {
    const source = readFileSync(file, "utf8");
    const path = relative(".", file);
    if (/\/route\.ts$/.test(path)) {
      const route = `/${relative("app", file).replace(/\/route\.ts$/, "")}`;
      for (const m of source.matchAll(/^export\s+(?:async\s+function|const|function)\s+(POST|PUT|PATCH|DELETE)\b/gm)) found.push(`${m[1]} ${route}`);
    }
    if (/^\s*["']use server["']/.test(source)) {
      for (const m of source.matchAll(/^export\s+async\s+function\s+(\w+)/gm)) found.push(`action ${path}#${m[1]}`);
    }
  }
  return found.sort();
}

let sim: MirrorSim;
let app: AppProcess;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-anonymous-"));
  sim = await startMirrorSim({
    start: new Date("2026-03-01T10:00:00Z"),
    reference: "ref",
    modules: [{ path: MODULE, versions: [{ version: "v1.0.0", time: "2026-02-01T00:00:00Z", gomod: `module ${MODULE}\n\ngo 1.21\n` }] }],
    mirrors: [{ name: "ref", style: "proxy.golang.org" }],
  });
  app = startAppProcess(PORT, { MIRRORS: sim.mirrorsEnv, REFERENCE_MIRROR: "ref", SUMDB: "off", DATABASE_PATH: join(dir, "anonymous.db"), ADMIN_TOKEN: TOKEN, TRUST_PROXY: "" });
  await waitForApp(app);
  expect((await requestFrom("127.0.0.2", PORT, "POST", "/api/checks", { module: MODULE })).status).toBe(200);
});

test.afterAll(async () => {
  app.child.kill("SIGTERM");
  await exited(app.child);
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

test("every mutating endpoint is classified, and the operator's refuse anonymous, wrong-token, forged and expired callers", async () => {
  test.setTimeout(60_000);
  expect(mutatingEndpoints()).toEqual([...PUBLIC, ...OPERATOR].sort());

  // What the operator's endpoints would change, read from the database itself: the row, its watch choice, its checks.
  const state = async () => {
    const db = new Database(join(dir, "anonymous.db"), { readonly: true });
    try {
      const row = db.prepare("SELECT watched, auto_watch AS autoWatch, (SELECT count(*) FROM checks WHERE module_id = modules.id) AS checks FROM modules WHERE path = ?").get(MODULE);
      return { row, page: (await requestFrom("127.0.0.3", PORT, "GET", `/api/modules/${MODULE}`)).status };
    } finally {
      db.close();
    }
  };
  const before = await state();
  expect(before).toEqual({ row: { watched: 1, autoWatch: 1, checks: 1 }, page: 200 });

  const callers: Record<string, Record<string, string>> = {
    anonymous: {},
    "wrong token": { authorization: `Bearer wrong-${TOKEN}` },
    "forged cookie": { cookie: `mirrorlag_operator=v1.${Date.now() + 3600_000}.${"A".repeat(43)}` },
    "expired cookie": { cookie: `mirrorlag_operator=${issueSession(TOKEN, Date.now() - 13 * 3600 * 1000)}` },
  };
  const figures: Record<string, number[]> = {};
  let n = 10;
  for (const endpoint of OPERATOR) {
    for (const [who, headers] of Object.entries(callers)) {
      // A fresh address each time: the failed-credential limit (10 per client) answers 429, which would hide the 401.
      const from = `127.0.2.${n++}`;
      let status: number;
      if (endpoint.startsWith("action ")) {
        const [file, name] = endpoint.slice("action ".length).split("#");
        const res = await requestFrom(from, PORT, "POST", "/", [{ module: MODULE, watched: false }], { ...headers, "next-action": actionId(file ?? "", name ?? ""), "content-type": "text/plain;charset=UTF-8", accept: "text/x-component" });
        // A server action answers 200 with its result: the refusal is the result's code.
        expect(res.status, `${endpoint} as ${who}`).toBe(200);
        status = res.body.includes('"code":"forbidden"') ? 403 : res.status;
      } else {
        const [method, route] = endpoint.split(" ");
        const path = (route ?? "").replace("[...module]", MODULE);
        status = (await requestFrom(from, PORT, method ?? "GET", path, undefined, headers)).status;
      }
      (figures[endpoint] ??= []).push(status);
      expect([401, 403], `${endpoint} as ${who}`).toContain(status);
      expect(await state(), `${endpoint} as ${who} changed nothing`).toEqual(before);
    }
  }
  console.log(`abuse: operator endpoints without valid credentials: ${JSON.stringify(figures)}`);
});
