// Cross-check with the real go command: the simulated mirrors must satisfy `go list` and
// `go mod download`, and what go reports must equal what lib/goproxy computes from the same bytes.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock } from "./clock";
import { proxyUrl, startMirrorSim } from "./sim";
import type { MirrorSim } from "./sim";
import { moduleFromHistory } from "./scenarios/history";
import type { Scenario } from "./types";
import { authoritativeVersion, hashGoMod, hashZip, isLegacyGoMod, isRetracted, parseGoMod, parseVersionList, resolveLatest } from "@/lib/goproxy";
import { goBin, inCI, warnIfNoGo } from "./go-binary";

const run = promisify(execFile);
const GO_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 150_000;

warnIfNoGo("mirror-sim go cross-check");

const SARAMA = "github.com/IBM/sarama";
const JWT = "github.com/golang-jwt/jwt";
const JWT4 = "github.com/golang-jwt/jwt/v4";
const SEMVER3 = "github.com/Masterminds/semver/v3";
const PROTOBUF = "github.com/golang/protobuf";
const STORAGE = "github.com/creachadair/ffs/storage";
const MODULES = [SARAMA, JWT, JWT4, SEMVER3, PROTOBUF, STORAGE];

const NOW = new Date("2026-09-01T00:00:00Z"); // after every real commit time in the data

function scenario(): Scenario {
  return {
    start: NOW,
    modules: [
      ...MODULES.map((m) => moduleFromHistory(m, m === PROTOBUF ? { deprecatedSince: "v1.5.2" } : {})),
    ],
    mirrors: [
      { name: "unsorted", style: "proxy.golang.org" },
      { name: "sorted", style: "goproxy", hideRetracted: true },
      { name: "different", style: "goproxy", faults: [{ module: JWT4, version: "v4.5.2", effect: { type: "differentBytes" } }] },
    ],
  };
}

type GoListModule = {
  Path: string;
  Version: string;
  Versions?: string[];
  Retracted?: string[];
  Deprecated?: string;
  Time?: string;
};
type GoDownload = { Path: string; Version: string; Sum?: string; GoModSum?: string; Error?: string };

describe.skipIf(!goBin && !inCI)("go command against the simulator", () => {
  let sim: MirrorSim;
  let work: string;

  beforeAll(async () => {
    sim = await startMirrorSim(scenario(), { clock: createSimClock(NOW) });
    work = mkdtempSync(join(tmpdir(), "mirror-sim-go-"));
  });
  afterAll(async () => {
    await sim?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const base = (mirror: string): string => sim.mirrors.find((m) => m.name === mirror)?.baseUrl ?? "";

  /** Runs go asynchronously: the simulator answers from this same process. */
  async function go(mirror: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    if (!goBin) throw new Error("`go` is not on PATH and CI is set: the go cross-check cannot run");
    const home = join(work, mirror);
    // A clean environment: GONOSUMDB/GOPRIVATE/GOINSECURE and user go env files stay out.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      GOPATH: join(home, "gopath"),
      GOMODCACHE: join(home, "modcache"),
      GOCACHE: join(home, "gocache"),
      GOPROXY: base(mirror),
      GOSUMDB: "off",
      GOFLAGS: "-mod=mod -modcacherw",
      GOENV: "off",
      GO111MODULE: "on",
      GOTOOLCHAIN: "local",
    };
    try {
      // (The cast: Next's types make NODE_ENV a required key of ProcessEnv; go needs none of it.)
      const { stdout, stderr } = await run(goBin, args, { cwd: work, env: env as NodeJS.ProcessEnv, timeout: GO_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: number | string; killed?: boolean };
      if (e.killed) throw new Error(`go ${args.join(" ")} timed out after ${GO_TIMEOUT_MS} ms`);
      return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: typeof e.code === "number" ? e.code : 1 };
    }
  }

  async function goJson<T>(mirror: string, args: string[]): Promise<T> {
    const r = await go(mirror, args);
    if (r.code !== 0) throw new Error(`go ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  async function fetchText(url: string): Promise<string> {
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    return res.text();
  }

  /** What lib/goproxy concludes from the mirror's own answers. */
  async function expected(mirror: string, module: string) {
    const versions = parseVersionList(await fetchText(proxyUrl(base(mirror), module, "list")));
    const mods = new Map<string, string>();
    for (const v of versions) mods.set(v, await fetchText(proxyUrl(base(mirror), module, { version: v, ext: "mod" })));
    // The go command asks @latest only when the list has no suitable version (e.g. all hidden).
    const latestRes = await fetch(proxyUrl(base(mirror), module, "latest"));
    const latestInfo = latestRes.status === 200 ? ((await latestRes.json()) as { Version: string }).Version : null;
    if (latestInfo !== null && !mods.has(latestInfo)) {
      mods.set(latestInfo, await fetchText(proxyUrl(base(mirror), module, { version: latestInfo, ext: "mod" })));
    }
    const hasGoMod = (v: string) => !isLegacyGoMod(mods.get(v) ?? "", module);
    const auth = authoritativeVersion(versions, latestInfo, hasGoMod);
    const gomod = parseGoMod(auth ? (mods.get(auth) ?? "") : "");
    return {
      versions,
      auth,
      gomod,
      latest: resolveLatest(versions, gomod.retractions, latestInfo, hasGoMod),
    };
  }

  it("go is on PATH", () => {
    expect(goBin, "`go` must be installed when CI is set").toBeDefined();
  });

  for (const mirror of ["unsorted", "sorted"]) {
    for (const mod of MODULES) {
      it(
        `${mirror}: go list -m -retracted -versions -json ${mod}@latest`,
        async () => {
          const exp = await expected(mirror, mod);
          const got = await goJson<GoListModule>(mirror, ["list", "-m", "-retracted", "-versions", "-json", `${mod}@latest`]);
          expect(got.Path).toBe(mod);
          expect(got.Versions ?? []).toEqual(exp.versions);
          // With -retracted the query allows retracted versions, so latest is the authoritative version.
          expect(got.Version).toBe(exp.auth);
          const retracted = exp.auth !== null && isRetracted(exp.auth, exp.gomod.retractions);
          expect(got.Retracted !== undefined).toBe(retracted);
          if (mod === STORAGE) expect(got.Retracted).toEqual(["Retract all versions of the module to suppress it from the cache."]);

          // Without -retracted: what `go get M@latest` would pick.
          const plain = await go(mirror, ["list", "-m", "-json", `${mod}@latest`]);
          if (exp.latest === null) {
            expect(plain.code).not.toBe(0);
            expect(plain.stderr).toContain("no matching versions for query \"latest\"");
          } else {
            expect(plain.code, plain.stderr).toBe(0);
            expect((JSON.parse(plain.stdout) as GoListModule).Version).toBe(exp.latest);
          }
        },
        TEST_TIMEOUT_MS,
      );
    }
  }

  const RETRACTED_CASES: [string, string][] = [
    [JWT4, "v4.4.0"], // single version, rationale
    [SARAMA, "v1.31.0"], // interval [v1.31.0, v1.31.1]
    [SARAMA, "v1.25.0"], // upper end of [v1.24.1, v1.25.0]
    [SARAMA, "v1.32.0"], // single version inside a block of intervals
    [SARAMA, "v1.33.0"], // not retracted
  ];
  for (const [module, version] of RETRACTED_CASES) {
    it(
      `Retracted rationale of ${module}@${version} matches lib/goproxy`,
      async () => {
        const exp = await expected("unsorted", module);
        const hit = exp.gomod.retractions.filter((r) => isRetracted(version, [r]));
        const got = await goJson<GoListModule>("unsorted", ["list", "-m", "-retracted", "-json", `${module}@${version}`]);
        expect(got.Version).toBe(version);
        if (hit.length === 0) expect(got.Retracted).toBeUndefined();
        else expect(got.Retracted).toEqual(hit.map((r) => r.rationale || "retracted by module author"));
      },
      TEST_TIMEOUT_MS,
    );
  }

  it(
    "Deprecated of golang/protobuf matches lib/goproxy",
    async () => {
      const exp = await expected("unsorted", PROTOBUF);
      expect(exp.gomod.deprecated).toBe('Use the "google.golang.org/protobuf" module instead.');
      const got = await goJson<GoListModule>("unsorted", ["list", "-m", "-u", "-json", `${PROTOBUF}@latest`]);
      expect(got.Deprecated).toBe(exp.gomod.deprecated);
    },
    TEST_TIMEOUT_MS,
  );

  const DOWNLOADS: [string, string, string][] = [
    ["unsorted", SARAMA, "v1.60.1"], // uppercase path
    ["unsorted", SARAMA, "v1.31.1"], // retracted version still downloads
    ["sorted", SEMVER3, "v3.4.0"], // uppercase + /v3
    ["unsorted", JWT, "v3.2.2+incompatible"], // +incompatible, no go.mod in the zip
    ["sorted", JWT4, "v4.5.2"],
    ["unsorted", STORAGE, "v0.18.0"], // all retracted
    ["different", JWT4, "v4.5.2"], // a mirror serving different bytes
  ];
  for (const [mirror, module, version] of DOWNLOADS) {
    it(
      `${mirror}: go mod download -json ${module}@${version} reports the h1 sums of the served bytes`,
      async () => {
        const zip = Buffer.from(await (await fetch(proxyUrl(base(mirror), module, { version, ext: "zip" }))).arrayBuffer());
        const mod = await fetchText(proxyUrl(base(mirror), module, { version, ext: "mod" }));
        const got = await goJson<GoDownload>(mirror, ["mod", "download", "-json", `${module}@${version}`]);
        expect(got.Error).toBeUndefined();
        expect(got.Version).toBe(version);
        expect(got.Sum).toBe(hashZip(zip));
        expect(got.GoModSum).toBe(hashGoMod(mod));
        const honest = mirror !== "different";
        expect(got.Sum === hashZip(sim.zipFor(module, version))).toBe(honest);
        expect(got.GoModSum === hashGoMod(sim.goModFor(module, version))).toBe(honest);
      },
      TEST_TIMEOUT_MS,
    );
  }
});
