import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSimClock } from "./clock";
import { parseRetractIntervals, sortSemver } from "./go-rules";
import { proxyUrl, startMirrorSim } from "./sim";
import type { MirrorSim } from "./sim";
import { rawGet } from "./test-helpers";
import type { Scenario } from "./types";
import { readZip } from "./zip";
import { parseGoMod, parseVersionList } from "@/lib/goproxy";

const T0 = new Date("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const UPPER = "example.com/Foo/bar";
const RETRACT = "example.com/retract";
const ALL = "example.com/allretracted";

function scenario(): Scenario {
  return {
    start: T0,
    reference: "ref",
    modules: [
      {
        path: UPPER,
        versions: [
          { version: "v1.0.0", time: at(-10 * DAY) },
          { version: "v1.1.0", time: at(-1 * DAY), files: { "bar.go": "package bar\n" } },
          { version: "v1.2.0-rc.1", time: at(-12 * HOUR), gomod: `module ${UPPER}\n\ngo 1.21\n` },
          { version: "v1.2.0", time: at(-2 * HOUR), publishedAt: at(1 * HOUR), gomod: `module ${UPPER}\n\ngo 1.21\n` },
        ],
      },
      {
        path: RETRACT,
        versions: [
          { version: "v1.0.0", time: at(-5 * DAY) },
          { version: "v1.1.0", time: at(-4 * DAY) },
          {
            version: "v1.2.0",
            time: at(-3 * DAY),
            gomod: `module ${RETRACT}\n\nretract [v1.0.0, v1.1.0] // broken encoder\n`,
          },
          {
            version: "v1.3.0",
            time: at(2 * HOUR),
            gomod: `module ${RETRACT}\n\nretract (\n\tv1.2.0 // leaks memory\n\t[v1.0.0, v1.1.0] // broken encoder\n)\n`,
          },
        ],
      },
      {
        path: ALL,
        versions: [{ version: "v0.1.0", time: at(-DAY), gomod: `module ${ALL}\n\nretract [v0.0.0, v0.1.0] // gone\n` }],
      },
    ],
    mirrors: [
      { name: "ref", style: "proxy.golang.org" },
      {
        name: "lag",
        style: "goproxy",
        lagSeconds: 600,
        moduleLagSeconds: { [RETRACT]: 3600 },
        versionLagSeconds: { [`${UPPER}@v1.2.0`]: 7200 },
      },
      { name: "hide", style: "goproxy", hideRetracted: true },
    ],
  };
}

let sim: MirrorSim;
const base = (name: string): string => {
  const m = sim.mirrors.find((x) => x.name === name);
  if (!m) throw new Error(name);
  return m.baseUrl;
};
const get = (name: string, path: string, headers?: Record<string, string>) =>
  rawGet(base(name) + path, { timeoutMs: 5000, ...(headers ? { headers } : {}) });

beforeAll(async () => {
  sim = await startMirrorSim(scenario(), { clock: createSimClock(T0) });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.clock.set(T0);
  sim.clearFaults();
  sim.clearLog();
});

describe("startup", () => {
  it("starts every mirror on its own loopback port and builds MIRRORS", () => {
    expect(sim.mirrors.map((m) => m.name)).toEqual(["ref", "lag", "hide"]);
    expect(new Set(sim.mirrors.map((m) => m.port)).size).toBe(3);
    for (const m of sim.mirrors) expect(m.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.mirrorsEnv).toBe(sim.mirrors.map((m) => `${m.name}=${m.baseUrl}`).join(","));
    expect(sim.reference).toBe("ref");
  });

  it("honours fixed ports", async () => {
    const probe = await startMirrorSim({ modules: [], mirrors: [{ name: "x" }] });
    const port = probe.mirrors[0]?.port ?? 0;
    await probe.close();
    const fixed = await startMirrorSim({ modules: [], mirrors: [{ name: "x" }] }, { ports: { x: port } });
    expect(fixed.mirrors[0]?.port).toBe(port);
    await fixed.close();
  });
});

describe("protocol", () => {
  it("serves .info with commit time, .mod and a real zip", async () => {
    const info = await get("ref", `/example.com/!foo/bar/@v/v1.1.0.info`);
    expect(info.status).toBe(200);
    expect(info.headers["content-type"]).toBe("application/json");
    const parsed = JSON.parse(info.text) as { Version: string; Time: string; Origin?: unknown };
    expect(parsed.Version).toBe("v1.1.0");
    expect(parsed.Time).toBe("2026-02-28T12:00:00Z");
    expect(parsed.Origin).toBeDefined();

    const mod = await get("ref", `/example.com/!foo/bar/@v/v1.1.0.mod`);
    expect(mod.text).toBe(`module ${UPPER}\n`); // synthetic

    const zip = await get("ref", `/example.com/!foo/bar/@v/v1.2.0-rc.1.zip`);
    expect(zip.headers["content-type"]).toBe("application/zip");
    const entries = readZip(zip.body).map((e) => e.name);
    expect(entries).toEqual([`${UPPER}@v1.2.0-rc.1/README.md`, `${UPPER}@v1.2.0-rc.1/go.mod`]);
    const withFiles = readZip((await get("ref", `/example.com/!foo/bar/@v/v1.1.0.zip`)).body);
    // No go.mod in the tree: the zip has none either (the .mod is synthesized).
    expect(withFiles.map((e) => e.name)).toEqual([`${UPPER}@v1.1.0/bar.go`]);
    expect(withFiles[0]?.data.toString()).toBe("package bar\n");
    expect(zip.body.equals(sim.zipFor(UPPER, "v1.2.0-rc.1"))).toBe(true);
  });

  it("accepts %21 and ! escapes, rejects a raw uppercase letter and bad escapes", async () => {
    const a = await get("ref", `/example.com/%21foo/bar/@v/list`);
    const b = await get("ref", `/example.com/!foo/bar/@v/list`);
    expect(a.status).toBe(200);
    expect(a.text).toBe(b.text);
    const raw = await get("ref", `/example.com/Foo/bar/@v/list`);
    expect(raw.status).toBe(404);
    expect(raw.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(raw.text).toBe('not found: invalid escaped module path "example.com/Foo/bar"');
    expect((await get("ref", `/example.com/!!foo/bar/@v/list`)).status).toBe(404);
    expect((await get("ref", `/example.com/!1foo/bar/@v/list`)).status).toBe(404);
    sim.setBehaviour("ref", { badEscapeStatus: 400 });
    const r400 = await get("ref", `/example.com/Foo/bar/@v/list`);
    expect(r400.status).toBe(400);
    expect(r400.text).toMatch(/^bad request: invalid escaped module path/);
    sim.setBehaviour("ref", { badEscapeStatus: 404 });
    // Versions are escaped too.
    expect((await get("ref", `/example.com/!foo/bar/@v/V1.1.0.info`)).status).toBe(404);
    expect(proxyUrl("http://h", UPPER, { version: "v1.1.0", ext: "zip" })).toBe("http://h/example.com/!foo/bar/@v/v1.1.0.zip");
  });

  it("answers unknown modules, unknown versions and unknown endpoints with not found text", async () => {
    const unknown = await get("ref", `/example.com/nope/@v/list`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('not found: module example.com/nope: no matching versions for query "latest"');
    const v = await get("ref", `/example.com/!foo/bar/@v/v9.9.9.info`);
    expect(v.status).toBe(404);
    expect(v.text).toBe(`not found: ${UPPER}@v9.9.9: invalid version: unknown revision v9.9.9`);
    expect(v.headers["cache-control"]).toBe("public, max-age=600");
    expect((await get("ref", `/example.com/!foo/bar/@v/v1.1.0.txt`)).status).toBe(404);
    expect((await get("ref", `/`)).status).toBe(404);
    // 410, as proxy.golang.org answered in 2019.
    sim.setBehaviour("ref", { notFoundStatus: 410 });
    expect((await get("ref", `/example.com/nope/@v/list`)).status).toBe(410);
    sim.setBehaviour("ref", { notFoundStatus: 404 });
  });

  it("HEAD answers headers without a body", async () => {
    const res = await fetch(base("ref") + `/example.com/!foo/bar/@v/v1.1.0.mod`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });
});

describe("list order and cache headers", () => {
  it("proxy.golang.org style: unsorted (deterministic), trailing newline, public max-age=60", async () => {
    const res = await get("ref", `/example.com/!foo/bar/@v/list`);
    expect(res.headers["cache-control"]).toBe("public, max-age=60");
    expect(res.headers.age).toBeUndefined();
    expect(res.text.endsWith("\n")).toBe(true);
    const lines = res.text.trimEnd().split("\n");
    expect(sortSemver(lines)).toEqual(["v1.0.0", "v1.1.0", "v1.2.0-rc.1"]);
    expect((await get("ref", `/example.com/!foo/bar/@v/list`)).text).toBe(res.text);
    expect(parseVersionList(res.text)).toEqual(["v1.0.0", "v1.1.0", "v1.2.0-rc.1"]);
  });

  it("goproxy style: sorted, no trailing newline; immutable files max-age=604800", async () => {
    sim.clock.advance({ days: 1 });
    const res = await get("hide", `/example.com/!foo/bar/@v/list`);
    expect(res.text).toBe("v1.0.0\nv1.1.0\nv1.2.0-rc.1\nv1.2.0");
    const info = await get("hide", `/example.com/!foo/bar/@v/v1.0.0.info`);
    expect(info.headers["cache-control"]).toBe("public, max-age=604800");
    expect(JSON.parse(info.text)).toEqual({ Version: "v1.0.0", Time: "2026-02-19T12:00:00Z" });
  });

  it("a CDN copy serves stale lists with an Age header until max-age passes", async () => {
    sim.setBehaviour("hide", { cdnMaxAgeSeconds: 60 });
    try {
      sim.clock.set(at(1 * HOUR - 30_000));
      const first = await get("hide", `/example.com/!foo/bar/@v/list`);
      expect(first.headers.age).toBe("0");
      expect(first.text).not.toContain("v1.2.0\n");
      sim.clock.advance({ seconds: 45 }); // v1.2.0 published meanwhile, but the CDN copy is 45 s old
      const stale = await get("hide", `/example.com/!foo/bar/@v/list`);
      expect(stale.headers.age).toBe("45");
      expect(stale.text.split("\n")).not.toContain("v1.2.0");
      sim.clock.advance({ seconds: 15 });
      const fresh = await get("hide", `/example.com/!foo/bar/@v/list`);
      expect(fresh.headers.age).toBe("0");
      expect(fresh.text.split("\n")).toContain("v1.2.0");
    } finally {
      sim.setBehaviour("hide", { cdnMaxAgeSeconds: 0 });
    }
  });
});

describe("visibility on the sim clock", () => {
  it("publishes at publishedAt and shows a version after each mirror's delay", async () => {
    const list = async (m: string) => parseVersionList((await get(m, `/example.com/!foo/bar/@v/list`)).text);
    expect(await list("ref")).not.toContain("v1.2.0");
    expect((await get("ref", `/example.com/!foo/bar/@v/v1.2.0.info`)).status).toBe(404);
    sim.clock.set(at(1 * HOUR));
    expect(await list("ref")).toContain("v1.2.0");
    // Commit time is reported, not publication time.
    expect(JSON.parse((await get("ref", `/example.com/!foo/bar/@v/v1.2.0.info`)).text).Time).toBe("2026-03-01T10:00:00Z");
    // "lag": 7200 s for this version (per-version override).
    sim.clock.set(at(3 * HOUR - 1));
    expect(await list("lag")).not.toContain("v1.2.0");
    sim.clock.set(at(3 * HOUR));
    expect(await list("lag")).toContain("v1.2.0");
    expect(sim.visibleVersions("lag", UPPER)).toEqual(["v1.0.0", "v1.1.0", "v1.2.0-rc.1", "v1.2.0"]);
  });

  it("uses module overrides, the mirror default and a lag function", async () => {
    // Module override 3600 s: v1.3.0 of RETRACT (published +2h) shows at +3h on "lag".
    expect(sim.visibleVersions("lag", RETRACT, at(3 * HOUR - 1))).not.toContain("v1.3.0");
    expect(sim.visibleVersions("lag", RETRACT, at(3 * HOUR))).toContain("v1.3.0");
    // Mirror default 600 s: rc.1 published at -12h is visible; a new version after 10 min.
    const LAGFN = "example.com/lagfn";
    sim.addModule({ path: LAGFN, versions: [] });
    sim.addVersion(LAGFN, { version: "v0.2.0" });
    expect(sim.visibleVersions("lag", LAGFN)).not.toContain("v0.2.0");
    sim.clock.advance({ minutes: 10 });
    expect(sim.visibleVersions("lag", LAGFN)).toContain("v0.2.0");
    sim.setBehaviour("lag", { lag: (m) => (m === LAGFN ? 86_400 : undefined) });
    expect(sim.visibleVersions("lag", LAGFN)).not.toContain("v0.2.0");
    sim.setBehaviour("lag", { lag: () => undefined });
  });

  it("@latest is the highest visible non-retracted release as .info JSON", async () => {
    const latest = async (m: string, mod: string) => {
      const r = await get(m, `/${mod.replace(/[A-Z]/g, (c) => "!" + c.toLowerCase())}/@latest`);
      return r.status === 200 ? (JSON.parse(r.text) as { Version: string }).Version : r.status;
    };
    expect(await latest("ref", UPPER)).toBe("v1.1.0"); // release preferred over v1.2.0-rc.1
    sim.clock.set(at(1 * HOUR));
    expect(await latest("ref", UPPER)).toBe("v1.2.0");
    expect(await latest("ref", RETRACT)).toBe("v1.2.0");
    sim.clock.set(at(2 * HOUR));
    expect(await latest("ref", RETRACT)).toBe("v1.3.0");
    expect(await latest("ref", ALL)).toBe("v0.1.0"); // everything retracted: still answers
    expect(await latest("ref", "example.com/nope")).toBe(404);
  });
});

describe("hideRetracted", () => {
  it("leaves out what the authoritative go.mod of the visible set retracts", async () => {
    const list = async (m: string) => parseVersionList((await get(m, `/example.com/retract/@v/list`)).text);
    expect(await list("ref")).toEqual(["v1.0.0", "v1.1.0", "v1.2.0"]);
    expect(await list("hide")).toEqual(["v1.2.0"]);
    sim.clock.set(at(2 * HOUR)); // v1.3.0 retracts v1.2.0 too
    expect(await list("hide")).toEqual(["v1.3.0"]);
    expect(await list("ref")).toEqual(["v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0"]);
    // Retracted versions stay downloadable.
    expect((await get("hide", `/example.com/retract/@v/v1.2.0.mod`)).status).toBe(200);
    // The sim's reading of retractions agrees with lib/goproxy's.
    const gomod = sim.goModFor(RETRACT, "v1.3.0");
    expect(parseRetractIntervals(gomod)).toEqual(parseGoMod(gomod).retractions.map(({ low, high }) => ({ low, high })));
    const all = await get("hide", `/example.com/allretracted/@v/list`);
    expect(all.status).toBe(200);
    expect(all.text).toBe("");
  });
});

describe("pull-through and Disable-Module-Fetch", () => {
  it("a fetching mirror picks a version up when asked, unless Disable-Module-Fetch is honoured", async () => {
    sim.setBehaviour("lag", { fetchOnDemand: true, honourDisableModuleFetch: true });
    try {
      sim.clock.set(at(1 * HOUR + MIN)); // v1.2.0 published, not yet visible on "lag"
      const path = `/example.com/!foo/bar/@v/v1.2.0.info`;
      const passive = await get("lag", path, { "Disable-Module-Fetch": "true" });
      expect(passive.status).toBe(404);
      // The goproxy library's text for what it may not fetch (proxy.golang.org style names the header).
      expect(passive.text).toBe("not found: temporarily unavailable");
      expect((await get("lag", `/cached-only${path}`)).status).toBe(404);
      expect(sim.visibleVersions("lag", UPPER)).not.toContain("v1.2.0");
      const active = await get("lag", path);
      expect(active.status).toBe(200);
      expect(sim.visibleVersions("lag", UPPER)).toContain("v1.2.0");
      const log = sim.log("lag");
      expect(log.map((e) => [e.disableModuleFetch, e.status, e.pulled ?? false])).toEqual([
        [true, 404, false],
        [true, 404, false],
        [false, 200, true],
      ]);
      expect(log[0]?.headers["disable-module-fetch"]).toBe("true");
      // An unpublished version cannot be fetched.
      expect((await get("lag", `/example.com/retract/@v/v1.3.0.info`)).status).toBe(404);
      // A mirror that strips the header (goproxy.cn) fetches anyway.
      sim.setBehaviour("lag", { honourDisableModuleFetch: false });
      sim.clock.set(at(2 * HOUR + MIN));
      expect((await get("lag", `/example.com/retract/@v/v1.3.0.mod`, { "Disable-Module-Fetch": "true" })).status).toBe(200);
    } finally {
      sim.setBehaviour("lag", { fetchOnDemand: false });
    }
  });
});

describe("faults", () => {
  const LIST = `/example.com/!foo/bar/@v/list`;

  it("status 404/410/5xx with text/plain bodies, scoped by module, kind and time window", async () => {
    sim.addFault("ref", { module: UPPER, kinds: ["list"], from: at(10 * MIN), until: at(20 * MIN), effect: { type: "status", status: 404 } });
    sim.addFault("ref", { module: RETRACT, effect: { type: "status", status: 503 } });
    sim.addFault("ref", { module: ALL, effect: { type: "status", status: 410, body: "gone for good" } });
    expect((await get("ref", LIST)).status).toBe(200);
    sim.clock.set(at(10 * MIN));
    const nf = await get("ref", LIST);
    expect([nf.status, nf.headers["content-type"], nf.text]).toEqual([404, "text/plain; charset=utf-8", `not found: module ${UPPER}: temporarily unavailable`]);
    expect((await get("ref", `/example.com/!foo/bar/@v/v1.0.0.info`)).status).toBe(200); // other kinds unaffected
    sim.clock.set(at(20 * MIN));
    expect((await get("ref", LIST)).status).toBe(200);
    const s503 = await get("ref", `/example.com/retract/@v/list`);
    expect([s503.status, s503.text]).toEqual([503, "503 Service Unavailable"]);
    const gone = await get("ref", `/example.com/allretracted/@latest`);
    expect([gone.status, gone.text]).toEqual([410, "gone for good"]);
    expect(sim.log("ref").map((e) => e.fault ?? null)).toEqual([null, "status", null, null, "status", "status"]);
  });

  it("times limits a fault to the first N requests; clearFaults by id", async () => {
    sim.addFault("ref", { times: 2, effect: { type: "status", status: 502 } });
    const id = sim.addFault("hide", { effect: { type: "status", status: 500 } });
    expect((await get("ref", LIST)).status).toBe(502);
    expect((await get("ref", LIST)).status).toBe(502);
    expect((await get("ref", LIST)).status).toBe(200);
    expect((await get("hide", LIST)).status).toBe(500);
    sim.clearFaults("hide", id);
    expect((await get("hide", LIST)).status).toBe(200);
  });

  it("hang: the request stays open (client timeout), logged with outcome hang", async () => {
    sim.addFault("ref", { kinds: ["list"], effect: { type: "hang" } });
    const started = Date.now();
    const res = await rawGet(base("ref") + LIST, { timeoutMs: 300 });
    expect(res.error).toBe("timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sim.log("ref").at(-1)?.outcome).toBe("hang");
    expect(sim.log("ref").at(-1)?.status).toBe(0);
  });

  it("latency delays every answer (mirror-level and fault-level add up)", async () => {
    sim.setBehaviour("ref", { latencyMs: 60 });
    sim.addFault("ref", { effect: { type: "latency", ms: 60 } });
    try {
      const started = Date.now();
      const res = await get("ref", LIST);
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    } finally {
      sim.setBehaviour("ref", { latencyMs: 0 });
    }
  });

  it("truncate sends a Content-Length larger than the body, then closes", async () => {
    sim.addFault("ref", { kinds: ["zip"], effect: { type: "truncate" } });
    const full = sim.zipFor(UPPER, "v1.1.0");
    const res = await get("ref", `/example.com/!foo/bar/@v/v1.1.0.zip`);
    expect(res.status).toBe(200);
    expect(Number(res.headers["content-length"])).toBe(full.length);
    expect(res.complete).toBe(false);
    expect(res.body.length).toBeLessThan(full.length);
    expect(sim.log("ref").at(-1)?.outcome).toBe("truncated");
  });

  it("oversized pads a list to 10 MB by default", async () => {
    sim.addFault("ref", { kinds: ["list"], effect: { type: "oversized" } });
    const res = await get("ref", LIST);
    expect(res.body.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    expect(res.text.startsWith("v")).toBe(true);
    sim.clearFaults();
    sim.addFault("ref", { kinds: ["info"], effect: { type: "oversized", bytes: 100_000 } });
    const info = await get("ref", `/example.com/!foo/bar/@v/v1.0.0.info`);
    expect(info.body.length).toBe(100_000);
    expect((JSON.parse(info.text) as { Version: string }).Version).toBe("v1.0.0");
  });

  it("html200 answers an HTML page with status 200", async () => {
    sim.addFault("ref", { effect: { type: "html200" } });
    const res = await get("ref", `/example.com/!foo/bar/@v/v1.0.0.mod`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.text).toMatch(/^<!DOCTYPE html>/);
  });

  it("malformedInfo breaks .info and @latest JSON only", async () => {
    sim.addFault("ref", { effect: { type: "malformedInfo" } });
    const info = await get("ref", `/example.com/!foo/bar/@v/v1.0.0.info`);
    expect(() => JSON.parse(info.text)).toThrow();
    const latest = await get("ref", `/example.com/!foo/bar/@latest`);
    expect(() => JSON.parse(latest.text)).toThrow();
    expect((await get("ref", LIST)).text).toContain("v1.0.0");
    sim.clearFaults();
    sim.addFault("ref", { effect: { type: "malformedInfo", mode: "badTime" } });
    expect(JSON.parse((await get("ref", `/example.com/!foo/bar/@v/v1.0.0.info`)).text)).toEqual({ Version: "v1.0.0", Time: "yesterday" });
  });

  it("invalidListLines injects junk that a careful reader drops", async () => {
    sim.addFault("ref", { effect: { type: "invalidListLines" } });
    const res = await get("ref", LIST);
    expect(res.text).toContain("not-a-version");
    expect(res.text).toContain("v1.0.0-20200101000000-abcdefabcdef");
    expect(parseVersionList(res.text)).toEqual(["v1.0.0", "v1.1.0", "v1.2.0-rc.1"]);
  });

  it("differentBytes changes .mod and .zip bytes; badGoMod serves an unparsable go.mod", async () => {
    sim.addFault("lag", { module: UPPER, version: "v1.1.0", effect: { type: "differentBytes" } });
    sim.clock.advance({ days: 1 });
    const mod = await get("lag", `/example.com/!foo/bar/@v/v1.1.0.mod`);
    expect(mod.text).not.toBe(sim.goModFor(UPPER, "v1.1.0"));
    expect(mod.text.startsWith(sim.goModFor(UPPER, "v1.1.0"))).toBe(true);
    const zip = await get("lag", `/example.com/!foo/bar/@v/v1.1.0.zip`);
    expect(zip.body.equals(sim.zipFor(UPPER, "v1.1.0"))).toBe(false);
    expect(readZip(zip.body).map((e) => e.name)).toContain(`${UPPER}@v1.1.0/MIRROR-SIM-DIFFERENT.txt`);
    // Other versions unaffected.
    expect((await get("lag", `/example.com/!foo/bar/@v/v1.0.0.mod`)).text).toBe(sim.goModFor(UPPER, "v1.0.0"));
    sim.addFault("ref", { effect: { type: "badGoMod" } });
    const bad = await get("ref", `/example.com/!foo/bar/@v/v1.0.0.mod`);
    expect(bad.status).toBe(200);
    const { parseGoModDetailed } = await import("@/lib/goproxy");
    expect(parseGoModDetailed(bad.text).errors.length).toBeGreaterThan(0);
  });

  it("connectionReset destroys the socket without an answer", async () => {
    sim.addFault("ref", { effect: { type: "connectionReset" } });
    const res = await get("ref", LIST);
    expect(res.status).toBe(0);
    expect(res.error).toMatch(/ECONNRESET|socket hang up/);
    expect(sim.log("ref").at(-1)?.outcome).toBe("reset");
  });
});

describe("runtime changes and the request log", () => {
  it("addModule / addVersion publish at clock time", async () => {
    sim.addModule({ path: "example.com/new", versions: [] });
    expect((await get("ref", `/example.com/new/@v/list`)).status).toBe(404);
    sim.clock.set(at(5 * MIN));
    sim.addVersion("example.com/new", { version: "v0.1.0", gomod: "module example.com/new\n" });
    const list = await get("ref", `/example.com/new/@v/list`);
    expect(list.text).toBe("v0.1.0\n");
    const info = JSON.parse((await get("ref", `/example.com/new/@v/v0.1.0.info`)).text) as { Time: string };
    expect(info.Time).toBe("2026-03-01T12:05:00Z");
    expect(() => sim.addVersion("example.com/new", { version: "v0.1.0" })).toThrow();
  });

  it("logs method, path, decoded module, kind, version, status, sim time and headers", async () => {
    sim.clock.set(at(42 * MIN));
    await get("ref", `/example.com/%21foo/bar/@v/v1.1.0.zip`, { "User-Agent": "probe" });
    await get("hide", `/example.com/!foo/bar/@latest`);
    await get("hide", `/sumdb/sum.golang.org/supported`);
    const [e] = sim.log("ref");
    expect(e).toMatchObject({
      mirror: "ref",
      method: "GET",
      path: "/example.com/%21foo/bar/@v/v1.1.0.zip",
      module: UPPER,
      kind: "zip",
      version: "v1.1.0",
      status: 200,
      outcome: "answered",
      disableModuleFetch: false,
    });
    expect(e?.at.toISOString()).toBe(at(42 * MIN).toISOString());
    expect(e?.headers["user-agent"]).toBe("probe");
    // A scenario without a checksum database: every mirror answers /supported with 404 (go then asks the next).
    expect(sim.log("hide").map((x) => [x.kind, x.status])).toEqual([["latest", 200], ["supported", 404]]);
    expect(sim.log().map((x) => x.mirror)).toEqual(["ref", "hide", "hide"]);
    sim.clearLog("hide");
    expect(sim.log().length).toBe(1);
  });
});

describe("close", () => {
  it("closes even with a hanging request open", async () => {
    const s = await startMirrorSim({ modules: [], mirrors: [{ name: "h", faults: [{ effect: { type: "hang" } }] }] });
    const pending = rawGet(`${s.mirrors[0]?.baseUrl ?? ""}/x/@v/list`);
    await new Promise((r) => setTimeout(r, 50));
    await s.close();
    const res = await pending;
    expect(res.status).toBe(0);
  });
});
