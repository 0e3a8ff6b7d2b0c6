import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock } from "../clock";
import { parseRetractIntervals } from "../go-rules";
import { proxyUrl, startMirrorSim } from "../sim";
import type { MirrorSim } from "../sim";
import { DEMO_REFERENCE, demoScenario } from "./demo";
import { findHistory, moduleFromHistory } from "./history";
import { parseGoMod, parseVersionList } from "@/lib/goproxy";

const START = new Date("2026-06-10T09:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("moduleFromHistory", () => {
  it("keeps real versions, times and go.mod texts", () => {
    const m = moduleFromHistory("github.com/golang-jwt/jwt/v4");
    const h = findHistory("github.com/golang-jwt/jwt/v4");
    expect(m.versions.map((v) => v.version).sort()).toEqual(h.versions.map((v) => v.version).sort());
    const byV = new Map(m.versions.map((v) => [v.version, v]));
    expect(byV.get("v4.4.0")?.time).toEqual(new Date(h.versions.find((v) => v.version === "v4.4.0")?.time ?? ""));
    // The retraction appears with v4.4.1's go.mod, not before.
    expect(parseRetractIntervals(byV.get("v4.4.0")?.gomod ?? "")).toEqual([]);
    expect(parseRetractIntervals(byV.get("v4.4.1")?.gomod ?? "")).toEqual([{ low: "v4.4.0", high: "v4.4.0" }]);
    expect(byV.get("v4.5.2")?.gomod).toBe(h.gomodAtLatest);
    // Older than every recorded go.mod: synthetic .mod.
    expect(byV.get("v4.0.0")?.gomod).toBeUndefined();
    // Versions without go.mod (+incompatible) stay without.
    expect(moduleFromHistory("github.com/golang-jwt/jwt").versions.every((v) => v.gomod === undefined)).toBe(true);
  });

  it("puts deprecation where it started, and schedules the newest versions", () => {
    const m = moduleFromHistory("github.com/golang/protobuf", {
      deprecatedSince: "v1.5.2",
      schedule: [START, new Date(START.getTime() + HOUR)],
      keepLatest: 5,
    });
    expect(m.versions.map((v) => v.version)).toEqual(["v1.4.2", "v1.4.3", "v1.5.0", "v1.5.1", "v1.5.2", "v1.5.3", "v1.5.4"].slice(2));
    const byV = new Map(m.versions.map((v) => [v.version, v]));
    expect(parseGoMod(byV.get("v1.5.1")?.gomod ?? "").deprecated).toBeNull();
    expect(parseGoMod(byV.get("v1.5.2")?.gomod ?? "").deprecated).toBe('Use the "google.golang.org/protobuf" module instead.');
    expect(byV.get("v1.5.3")?.publishedAt).toEqual(START);
    expect(byV.get("v1.5.4")?.publishedAt).toEqual(new Date(START.getTime() + HOUR));
    // The rest moves as a block to end 7 days before the first scheduled one, keeping real spacing.
    const older = m.versions.slice(0, 3).map((v) => new Date(v.time).getTime());
    expect(Math.max(...older)).toBe(START.getTime() - 7 * DAY);
  });
});

describe("demo scenario", () => {
  let sim: MirrorSim;
  beforeAll(async () => {
    sim = await startMirrorSim(demoScenario(START), { clock: createSimClock(START) });
  });
  afterAll(async () => {
    await sim.close();
  });
  const base = (name: string) => sim.mirrors.find((m) => m.name === name)?.baseUrl ?? "";
  const list = async (mirror: string, module: string) => {
    const res = await fetch(proxyUrl(base(mirror), module, "list"));
    return { status: res.status, versions: parseVersionList(await res.text()) };
  };

  it("has the three mirrors, proxy.golang.org as reference, and the promised modules", () => {
    expect(sim.mirrors.map((m) => m.name)).toEqual(["proxy.golang.org", "goproxy.cn", "proxy.golang.com.cn"]);
    expect(sim.reference).toBe(DEMO_REFERENCE);
    const modules = demoScenario(START).modules.map((m) => m.path);
    expect(modules).toEqual(
      expect.arrayContaining([
        "github.com/IBM/sarama",
        "github.com/golang-jwt/jwt",
        "github.com/golang-jwt/jwt/v4",
        "github.com/golang/protobuf",
        "github.com/Masterminds/semver/v3",
        "github.com/creachadair/ffs/storage",
      ]),
    );
  });

  it("publishes versions over the days before start and the hours after it", () => {
    const times = demoScenario(START).modules.flatMap((m) => m.versions.map((v) => new Date(v.publishedAt ?? v.time).getTime() - START.getTime()));
    expect(times.filter((t) => t > -3 * DAY && t <= 0).length).toBeGreaterThanOrEqual(10);
    expect(times.filter((t) => t > 0 && t <= 6 * HOUR).length).toBeGreaterThanOrEqual(5);
    expect(times.filter((t) => t > 0 && t <= 30 * 60_000).length).toBeGreaterThanOrEqual(2); // a live demo changes soon
  });

  it("stages lag, a 404 spell, hidden retractions and different bytes", async () => {
    const jwt4 = "github.com/golang-jwt/jwt/v4";
    sim.clock.set(START);
    const ref = await list("proxy.golang.org", jwt4);
    expect(ref.versions).toContain("v4.5.1");
    expect(ref.versions).toContain("v4.4.0");
    expect((await list("goproxy.cn", jwt4)).versions).not.toContain("v4.4.0"); // hidden: retracted
    // v4.5.1 was published 2 h ago: the laggard (15 min–3 h) may not have it; some version must still be missing there.
    const laggard = demoScenario(START).modules.flatMap((m) => m.versions.map((v) => ({ m: m.path, v: v.version })));
    const missing = laggard.filter(({ m, v }) => sim.visibleVersions("proxy.golang.org", m).includes(v) && !sim.visibleVersions("proxy.golang.com.cn", m).includes(v));
    expect(missing.length).toBeGreaterThan(0);
    sim.clock.set(new Date(START.getTime() + 12 * HOUR));
    // Except the one version the doctor's examples keep off the laggard for good ("not yet on this mirror").
    const stuck = (m: string, v: string) => m === "github.com/golang-jwt/jwt/v5" && v === "v5.2.2";
    for (const { m } of laggard) {
      expect(sim.visibleVersions("proxy.golang.com.cn", m)).toEqual(sim.visibleVersions("proxy.golang.org", m).filter((v) => !stuck(m, v)));
    }
    expect(sim.visibleVersions("proxy.golang.org", "github.com/golang-jwt/jwt/v5")).toContain("v5.2.2");
    // goproxy.cn answers 404 for sarama in [start-30h, start-26h).
    sim.clock.set(new Date(START.getTime() - 28 * HOUR));
    expect((await list("goproxy.cn", "github.com/IBM/sarama")).status).toBe(404);
    expect((await list("proxy.golang.org", "github.com/IBM/sarama")).status).toBe(200);
    sim.clock.set(new Date(START.getTime() - 25 * HOUR));
    expect((await list("goproxy.cn", "github.com/IBM/sarama")).status).toBe(200);
    // The retraction of v4.4.0 is not there 58 h before start (v4.4.1 not yet published).
    sim.clock.set(new Date(START.getTime() - 58 * HOUR));
    expect((await list("goproxy.cn", jwt4)).versions).toContain("v4.4.0");
    sim.clock.set(START);
    const honest = await (await fetch(proxyUrl(base("proxy.golang.org"), "github.com/Masterminds/semver/v3", { version: "v3.3.1", ext: "mod" }))).text();
    const other = await (await fetch(proxyUrl(base("proxy.golang.com.cn"), "github.com/Masterminds/semver/v3", { version: "v3.3.1", ext: "mod" }))).text();
    expect(other).not.toBe(honest);
  });
});

describe("cli", () => {
  it("prints the mirrors as one JSON line, serves them, and stops on SIGTERM", async () => {
    const root = fileURLToPath(new URL("../../../", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", "e2e/mirror-sim/cli.ts", "--scenario", "demo"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          const nl = out.indexOf("\n");
          if (nl >= 0) resolve(out.slice(0, nl));
        });
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => reject(new Error(`cli exited ${code}: ${err}`)));
        setTimeout(() => reject(new Error(`cli not ready: ${err}`)), 20_000);
      });
      const ready = JSON.parse(line) as { mirrorsEnv: string; reference: string };
      expect(ready.reference).toBe("proxy.golang.org");
      const entries = ready.mirrorsEnv.split(",").map((e) => e.split("="));
      expect(entries.map((e) => e[0])).toEqual(["proxy.golang.org", "goproxy.cn", "proxy.golang.com.cn"]);
      const refUrl = entries[0]?.[1] ?? "";
      const res = await fetch(proxyUrl(refUrl, "github.com/IBM/sarama", "list"));
      expect(res.status).toBe(200);
      expect(parseVersionList(await res.text())).toContain("v1.50.3");
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 40_000);
});
