// Proof that the simulated checksum database is real: the go command, with GOSUMDB set to its test key, verifies
// downloads through it and refuses a mirror's different bytes and a lying proxy of it. Along the way these tests
// pin what go1.19 does and prints in the cases the version doctor's chain prediction must get right:
// - `go mod download M@V` does not compare the go.mod's module line with M; `go get M@V` does (path_mismatch).
// - .info, .mod and .zip each walk the GOPROXY list on their own: a 404/410 for one file moves only that file
//   to the next entry. Any other status (500, 502, 403) stops a comma list; a `|` list moves on for any error.
// - A mirror that never answers is waited for without a timeout (go1.19 has none for proxies): not tested here.
// - GOSUMDB="<key> <url>" bypasses every proxy's /sumdb/; with GOSUMDB="<key>" go asks each GOPROXY entry's
//   /sumdb/<name>/supported, uses the first that answers 200, and goes to https://<name> after 404s.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSimClock } from "./clock";
import { proxyUrl, startMirrorSim } from "./sim";
import type { MirrorSim } from "./sim";
import { moduleFromHistory } from "./scenarios/history";
import type { Scenario } from "./types";
import { hashGoMod, hashZip } from "@/lib/goproxy";
import { goBin, inCI, warnIfNoGo } from "./go-binary";

const run = promisify(execFile);
const GO_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 120_000;

warnIfNoGo("mirror-sim sumdb go test");

const NOW = new Date("2026-09-01T00:00:00Z");
const JWT4 = "github.com/golang-jwt/jwt/v4";
const LOGRUS = "github.com/Sirupsen/logrus";
const GROWING = "github.com/golang-jwt/jwt/v5";

function scenario(): Scenario {
  return {
    start: NOW,
    sumdb: {},
    modules: [
      moduleFromHistory(JWT4, { keepLatest: 3 }),
      moduleFromHistory(GROWING, { keepLatest: 2 }),
      { path: LOGRUS, versions: [{ version: "v1.9.3", time: "2023-05-21T12:00:00Z", gomod: "module github.com/sirupsen/logrus\n\ngo 1.13\n" }] },
      {
        path: "github.com/skanehira/clipboard-image",
        versions: [{ version: "v2.0.0", time: "2020-11-12T00:00:00Z", gomod: "module github.com/skanehira/clipboard-image\n", invalid: true }],
      },
      { path: "github.com/stetchr/testify", origin: "missing", versions: [] },
    ],
    mirrors: [
      { name: "honest", style: "proxy.golang.org" },
      {
        name: "different",
        style: "goproxy",
        faults: [
          { module: JWT4, version: "v4.5.2", kinds: ["zip"], effect: { type: "differentBytes" } },
          { module: JWT4, version: "v4.5.1", effect: { type: "differentBytes" } },
        ],
      },
      { name: "garbled", style: "goproxy", sumdb: "garbled" },
      { name: "forged", sumdb: "forged" },
      { name: "bad-proof", sumdb: "bad-proof" },
      { name: "absent", style: "goproxy", sumdb: "absent" },
      { name: "zip404", faults: [{ kinds: ["zip"], effect: { type: "status", status: 404, body: "not found: fetch timed out" } }] },
      { name: "zip502", faults: [{ kinds: ["zip"], effect: { type: "status", status: 502 } }] },
      { name: "info410", notFoundStatus: 410, faults: [{ kinds: ["info"], effect: { type: "status", status: 410 } }] },
      { name: "reset", faults: [{ kinds: ["info"], effect: { type: "connectionReset" } }] },
      { name: "html", faults: [{ kinds: ["info"], effect: { type: "html200" } }] },
      { name: "truncated", faults: [{ kinds: ["zip"], effect: { type: "truncate" } }] },
    ],
  };
}

type GoDownload = { Path: string; Version: string; Sum?: string; GoModSum?: string; Error?: string };
type GoRun = { stdout: string; stderr: string; code: number };

describe.skipIf(!goBin && !inCI)("the go command and the simulated checksum database", () => {
  let sim: MirrorSim;
  let work: string;
  let homes = 0;

  beforeAll(async () => {
    sim = await startMirrorSim(scenario(), { clock: createSimClock(NOW) });
    work = mkdtempSync(join(tmpdir(), "mirror-sim-sumdb-go-"));
  });
  afterAll(async () => {
    await sim?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => sim.clearLog());

  const base = (mirror: string): string => sim.mirrors.find((m) => m.name === mirror)?.baseUrl ?? "";
  const db = () => {
    if (!sim.sumdb) throw new Error("the scenario has a checksum database");
    return sim.sumdb;
  };
  /** Checking through the mirrors' proxies: only the key, so go asks GOPROXY's /sumdb/<name>/supported. */
  const viaProxies = () => db().verifierKey;

  type GoOptions = { goproxy: string; gosumdb: string; env?: Record<string, string>; home?: string; cwd?: string };

  /** Runs go asynchronously (the simulator answers from this process) in a fresh GOPATH unless `home` is given. */
  async function go(args: string[], o: GoOptions): Promise<GoRun> {
    if (!goBin) throw new Error("`go` is not on PATH and CI is set: the sumdb go test cannot run");
    const home = o.home ?? join(work, `home-${++homes}`);
    // Clean: no GONOSUMDB/GOPRIVATE/GONOPROXY/GOINSECURE, no user go env file.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      GOPATH: join(home, "gopath"),
      GOMODCACHE: join(home, "modcache"),
      GOCACHE: join(home, "gocache"),
      GOPROXY: o.goproxy,
      GOSUMDB: o.gosumdb,
      GOFLAGS: "-mod=mod -modcacherw",
      GOENV: "off",
      GO111MODULE: "on",
      GOTOOLCHAIN: "local",
      ...o.env,
    };
    const cwd = o.cwd ?? work;
    try {
      // (The cast: Next's types make NODE_ENV a required key of ProcessEnv; go needs none of it.)
      const { stdout, stderr } = await run(goBin, args, { cwd, env: env as NodeJS.ProcessEnv, timeout: GO_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: number | string; killed?: boolean };
      if (e.killed) throw new Error(`go ${args.join(" ")} timed out after ${GO_TIMEOUT_MS} ms`);
      return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: typeof e.code === "number" ? e.code : 1 };
    }
  }

  /** `go mod download -json M@V`: the JSON holds the error (stderr stays empty), exit 1 on failure. */
  async function download(spec: string, o: GoOptions): Promise<GoDownload & { code: number }> {
    const r = await go(["mod", "download", "-json", spec], o);
    if (!r.stdout.trim()) throw new Error(`no JSON from go mod download (${r.code}): ${r.stderr}`);
    return { ...(JSON.parse(r.stdout) as GoDownload), code: r.code };
  }

  const paths = (mirror: string) => sim.log(mirror).map((e) => `${e.path} ${e.status}`);

  it("go is on PATH", () => {
    expect(goBin, "`go` must be installed when CI is set").toBeDefined();
  });

  it(
    "verifies a download against the database's URL, without asking any proxy for /sumdb/",
    async () => {
      const got = await download(`${JWT4}@v4.5.2`, { goproxy: base("honest"), gosumdb: db().gosumdb });
      expect(got.code, got.Error).toBe(0);
      expect(got.Sum).toBe(hashZip(sim.zipFor(JWT4, "v4.5.2")));
      expect(got.GoModSum).toBe(hashGoMod(sim.goModFor(JWT4, "v4.5.2")));
      expect(sim.log(db().name).map((e) => e.kind)).toContain("sumdb");
      expect(sim.log(db().name).find((e) => e.path.startsWith("/lookup/"))?.version).toBe("v4.5.2");
      expect(sim.log("honest").filter((e) => e.kind === "supported" || e.kind === "sumdb")).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "verifies through an honest mirror's proxy of the database: /supported, then lookup and tiles there",
    async () => {
      const got = await download(`${JWT4}@v4.5.2`, { goproxy: base("honest"), gosumdb: viaProxies() });
      expect(got.code, got.Error).toBe(0);
      expect(got.Sum).toBe(hashZip(sim.zipFor(JWT4, "v4.5.2")));
      const kinds = sim.log("honest").map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(["info", "mod", "zip", "supported", "sumdb"]));
      expect(sim.log(db().name)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "refuses a mirror's different zip: checksum mismatch and SECURITY ERROR",
    async () => {
      const got = await download(`${JWT4}@v4.5.2`, { goproxy: base("different"), gosumdb: db().gosumdb });
      const served = hashZip(Buffer.from(await (await fetch(proxyUrl(base("different"), JWT4, { version: "v4.5.2", ext: "zip" }))).arrayBuffer()));
      // go1.19 printed: "github.com/golang-jwt/jwt/v4@v4.5.2: verifying module: checksum mismatch\n\tdownloaded: h1:…\n\t
      // sum.mirror-sim.test: h1:…\n\nSECURITY ERROR\nThis download does NOT match the one reported by the checksum server.\n…"
      expect(got.code).toBe(1);
      expect(got.Error).toContain(`${JWT4}@v4.5.2: verifying module: checksum mismatch\n\tdownloaded: ${served}\n\t${db().name}: ${hashZip(sim.zipFor(JWT4, "v4.5.2"))}`);
      expect(got.Error).toContain("SECURITY ERROR\nThis download does NOT match the one reported by the checksum server.");
      // Different go.mod bytes are caught first, before the zip is even asked for.
      const mod = await download(`${JWT4}@v4.5.1`, { goproxy: base("different"), gosumdb: db().gosumdb });
      expect(mod.Error).toContain(`${JWT4}@v4.5.1: verifying go.mod: checksum mismatch\n\tdownloaded: `);
      expect(mod.Error).toContain("SECURITY ERROR");
      expect(paths("different").filter((p) => p.includes("v4.5.1.zip"))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  /** What go1.19 printed after "<M>@<V>: verifying go.mod: <M>@<V>/go.mod: ", given the key's `<name>+<hash>`. */
  const LIARS: [string, (keyId: string) => string][] = [
    ["garbled", () => "malformed record data"],
    // Followed by "\nnote:\ngo.sum database tree\n<size>\n<hash>\n\n— <name> <signature>\n": the note it refused.
    ["forged", (keyId) => `reading tree note: invalid signature for key ${keyId}\nnote:\ngo.sum database tree\n`],
    ["bad-proof", () => "downloaded inconsistent tile"],
  ];
  for (const [mirror, fragment] of LIARS) {
    it(
      `fails verifying through the ${mirror} proxy of the database`,
      async () => {
        const got = await download(`${JWT4}@v4.5.2`, { goproxy: base(mirror), gosumdb: viaProxies() });
        const keyId = db().verifierKey.split("+").slice(0, 2).join("+");
        expect(got.code).toBe(1);
        expect(got.Error).toContain(`${JWT4}@v4.5.2: verifying go.mod: ${JWT4}@v4.5.2/go.mod: ${fragment(keyId)}`);
        expect(got.Error).not.toContain("SECURITY ERROR");
        // The files themselves were fine: go got the .info and .mod, then stopped at the lookup.
        expect(paths(mirror)).toEqual(expect.arrayContaining([`/sumdb/${db().name}/supported 200`]));
        expect(paths(mirror).some((p) => p.endsWith(".zip 200"))).toBe(false);
      },
      TEST_TIMEOUT_MS,
    );
  }

  it(
    "falls back to https://<name> when a mirror does not proxy the database, and verifies there",
    async () => {
      const direct = db().directEnv;
      expect(direct, "the default name is covered by the test certificate").toBeDefined();
      const got = await download(`${JWT4}@v4.5.2`, { goproxy: base("absent"), gosumdb: viaProxies(), env: direct ?? {} });
      expect(got.code, got.Error).toBe(0);
      expect(got.Sum).toBe(hashZip(sim.zipFor(JWT4, "v4.5.2")));
      expect(paths("absent")).toContain(`/sumdb/${db().name}/supported 404`);
      expect(paths("absent").filter((p) => p.includes("/lookup/"))).toEqual([]);
      const lookup = sim.log(db().name).find((e) => e.path.startsWith("/lookup/"));
      // Reached over TLS through the CONNECT tunnel, addressed to the database's own name.
      expect(lookup).toMatchObject({ module: JWT4, version: "v4.5.2", status: 200, headers: { host: db().name } });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "after a 404 from /supported, asks the next GOPROXY entry's proxy before going direct",
    async () => {
      const got = await download(`${JWT4}@v4.5.2`, { goproxy: `${base("absent")},${base("honest")}`, gosumdb: viaProxies() });
      expect(got.code, got.Error).toBe(0);
      expect(paths("absent")).toContain(`/sumdb/${db().name}/supported 404`);
      expect(paths("honest")).toContain(`/sumdb/${db().name}/supported 200`);
      expect(paths("honest").some((p) => p.startsWith(`/sumdb/${db().name}/lookup/`))).toBe(true);
      // Each file still came from the first mirror.
      expect(paths("absent").filter((p) => /\.(info|mod|zip) 200$/.test(p))).toHaveLength(3);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "keeps verifying as the tree grows: go checks the new tree against the one it cached",
    async () => {
      const home = join(work, "growing");
      const first = await download(`${GROWING}@v5.3.1`, { goproxy: base("honest"), gosumdb: viaProxies(), home });
      expect(first.code, first.Error).toBe(0);
      const latest = () => readFileSync(join(home, "gopath", "pkg", "sumdb", db().name, "latest"), "utf8").split("\n")[1];
      const sizeBefore = Number(latest());
      sim.clock.advance({ minutes: 5 });
      sim.addVersion(GROWING, { version: "v5.4.0", gomod: `module ${GROWING}\n\ngo 1.21\n` });
      sim.addVersion(JWT4, { version: "v4.5.3", gomod: `module ${JWT4}\n\ngo 1.16\n` });
      const second = await download(`${GROWING}@v5.4.0`, { goproxy: base("honest"), gosumdb: viaProxies(), home });
      expect(second.code, second.Error).toBe(0);
      expect(Number(latest())).toBe(sizeBefore + 2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "go mod download does not check the go.mod's module line; go get does",
    async () => {
      const got = await download(`${LOGRUS}@v1.9.3`, { goproxy: base("honest"), gosumdb: db().gosumdb });
      expect(got.code, got.Error).toBe(0);
      expect(got.GoModSum).toBe(hashGoMod(sim.goModFor(LOGRUS, "v1.9.3")));
      const consumer = join(work, "consumer");
      mkdirSync(consumer, { recursive: true });
      const o = { goproxy: base("honest"), gosumdb: db().gosumdb, home: join(work, "consumer-home"), cwd: consumer };
      expect((await go(["mod", "init", "example.com/consumer"], o)).code).toBe(0);
      const get = await go(["get", `${LOGRUS}@v1.9.3`], o);
      expect(get.code).toBe(1);
      expect(get.stderr).toContain(`go: ${LOGRUS}@v1.9.3: parsing go.mod:\n\tmodule declares its path as: github.com/sirupsen/logrus\n\t        but was required as: ${LOGRUS}`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "prints a mirror's not-found text after `server response:`, indented when it has several lines",
    async () => {
      const invalid = await download("github.com/skanehira/clipboard-image@v2.0.0", { goproxy: base("honest"), gosumdb: db().gosumdb });
      expect(invalid.Error).toBe(
        `github.com/skanehira/clipboard-image@v2.0.0: reading ${base("honest")}/github.com/skanehira/clipboard-image/@v/v2.0.0.info: 404 Not Found\n` +
          '\tserver response: not found: github.com/skanehira/clipboard-image@v2.0.0: invalid version: module contains a go.mod file, so module path must match major version ("github.com/skanehira/clipboard-image/v2")',
      );
      const missing = await download("github.com/stetchr/testify@v1.8.4", { goproxy: base("honest"), gosumdb: db().gosumdb });
      expect(missing.Error).toContain(".info: 404 Not Found\n\tserver response:\n\tnot found: github.com/stetchr/testify@v1.8.4: invalid version: git ls-remote -q --end-of-options ");
      expect(missing.Error).toContain("\n\t\tfatal: could not read Username for 'https://github.com': terminal prompts disabled\n\tConfirm the import path was entered correctly.");
      const zip = await download(`${JWT4}@v4.5.2`, { goproxy: base("zip404"), gosumdb: db().gosumdb });
      expect(zip.Error).toBe(`${JWT4}@v4.5.2: reading ${base("zip404")}/${JWT4}/@v/v4.5.2.zip: 404 Not Found\n\tserver response: not found: fetch timed out`);
      const gone = await download(`${JWT4}@v4.5.2`, { goproxy: base("info410"), gosumdb: db().gosumdb });
      expect(gone.Error).toBe(`${JWT4}@v4.5.2: reading ${base("info410")}/${JWT4}/@v/v4.5.2.info: 410 Gone\n\tserver response: not found: ${JWT4}@v4.5.2: temporarily unavailable`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "walks a comma GOPROXY list per file on 404/410, and stops on a 502 unless the list uses |",
    async () => {
      const perFile = await download(`${JWT4}@v4.5.2`, { goproxy: `${base("zip404")},${base("honest")}`, gosumdb: db().gosumdb });
      expect(perFile.code, perFile.Error).toBe(0);
      expect(paths("zip404").filter((p) => p.includes("/@v/"))).toEqual([
        `/${JWT4}/@v/v4.5.2.info 200`,
        `/${JWT4}/@v/v4.5.2.mod 200`,
        `/${JWT4}/@v/v4.5.2.zip 404`,
      ]);
      expect(paths("honest")).toEqual([`/${JWT4}/@v/v4.5.2.zip 200`]);
      sim.clearLog();
      const info = await download(`${JWT4}@v4.5.2`, { goproxy: `${base("info410")},${base("honest")}`, gosumdb: db().gosumdb });
      expect(info.code, info.Error).toBe(0);
      expect(paths("honest")).toEqual([`/${JWT4}/@v/v4.5.2.info 200`]);
      sim.clearLog();
      const stopped = await download(`${JWT4}@v4.5.2`, { goproxy: `${base("zip502")},${base("honest")}`, gosumdb: db().gosumdb });
      expect(stopped.Error).toBe(`${JWT4}@v4.5.2: reading ${base("zip502")}/${JWT4}/@v/v4.5.2.zip: 502 Bad Gateway\n\tserver response: 502 Bad Gateway`);
      expect(paths("honest")).toEqual([]);
      const piped = await download(`${JWT4}@v4.5.2`, { goproxy: `${base("zip502")}|${base("honest")}`, gosumdb: db().gosumdb });
      expect(piped.code, piped.Error).toBe(0);
      expect(paths("honest")).toEqual([`/${JWT4}/@v/v4.5.2.zip 200`]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "stops a comma list on a reset, a malformed .info and a truncated zip too; | moves on",
    async () => {
      const chain = (first: string, sep: string) => ({ goproxy: `${base(first)}${sep}${base("honest")}`, gosumdb: db().gosumdb });
      const reset = await download(`${JWT4}@v4.5.2`, chain("reset", ","));
      expect(reset.Error).toMatch(new RegExp(`^${JWT4}@v4\\.5\\.2: Get "${base("reset")}/${JWT4}/@v/v4\\.5\\.2\\.info": read tcp .*: read: connection reset by peer$`));
      const html = await download(`${JWT4}@v4.5.2`, chain("html", ","));
      expect(html.Error).toBe(`${JWT4}@v4.5.2: invalid response from proxy "${base("html")}": invalid character '<' looking for beginning of value`);
      const truncated = await download(`${JWT4}@v4.5.2`, chain("truncated", ","));
      // go1.19 names the zip oddly here: `read "http:/127.0.0.1:<port>/@v/v4.5.2.zip": unexpected EOF`.
      expect(truncated.Error).toMatch(/: read ".*\/@v\/v4\.5\.2\.zip": unexpected EOF$/);
      expect(paths("honest")).toEqual([]);
      expect((await download(`${JWT4}@v4.5.2`, chain("reset", "|"))).code).toBe(0);
      expect(paths("honest")).toEqual([`/${JWT4}/@v/v4.5.2.info 200`]);
    },
    TEST_TIMEOUT_MS,
  );
});
