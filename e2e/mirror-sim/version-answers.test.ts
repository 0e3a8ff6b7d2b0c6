// Per mirror, per version, per file: a mirror that serves a version it does not list (behaviour `unlisted`), and
// one that lists a version it will not serve (a Fault scoped to module + version + kinds).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSimClock } from "./clock";
import { proxyUrl, startMirrorSim } from "./sim";
import type { MirrorSim } from "./sim";
import { rawGet } from "./test-helpers";
import type { Scenario } from "./types";
import { parseVersionList } from "@/lib/goproxy";

const T0 = new Date("2026-03-01T12:00:00Z");
const MOD = "github.com/golang-jwt/jwt/v5";

function scenario(): Scenario {
  return {
    start: T0,
    modules: [
      {
        path: MOD,
        versions: ["v5.2.2", "v5.2.3", "v5.3.0"].map((version, i) => ({ version, time: new Date(T0.getTime() - (3 - i) * 86_400_000), gomod: `module ${MOD}\n` })),
      },
    ],
    mirrors: [
      { name: "ref" },
      { name: "unlisting", style: "goproxy", unlisted: [`${MOD}@v5.3.0`, `${MOD}@v5.2.2`] },
      { name: "refusing", style: "goproxy" },
    ],
  };
}

let sim: MirrorSim;
const url = (mirror: string, endpoint: Parameters<typeof proxyUrl>[2]) => proxyUrl(sim.mirrors.find((m) => m.name === mirror)?.baseUrl ?? "", MOD, endpoint);
const get = (mirror: string, endpoint: Parameters<typeof proxyUrl>[2]) => rawGet(url(mirror, endpoint), { timeoutMs: 5000 });
const statuses = async (mirror: string, version: string) =>
  Promise.all((["info", "mod", "zip"] as const).map(async (ext) => (await get(mirror, { version, ext })).status));

beforeAll(async () => {
  sim = await startMirrorSim(scenario(), { clock: createSimClock(T0) });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.clearFaults());

describe("served but not listed", () => {
  it("leaves the versions out of @v/list and @latest and still serves every file", async () => {
    expect(parseVersionList((await get("unlisting", "list")).text)).toEqual(["v5.2.3"]);
    expect(parseVersionList((await get("ref", "list")).text)).toEqual(["v5.2.2", "v5.2.3", "v5.3.0"]);
    // @latest comes from the same listing: v5.3.0 is not in it.
    expect(JSON.parse((await get("unlisting", "latest")).text)).toMatchObject({ Version: "v5.2.3" });
    expect(await statuses("unlisting", "v5.3.0")).toEqual([200, 200, 200]);
    expect((await get("unlisting", { version: "v5.3.0", ext: "zip" })).body.equals(sim.zipFor(MOD, "v5.3.0"))).toBe(true);
    expect(sim.visibleVersions("unlisting", MOD)).toEqual(["v5.2.3"]);
  });

  it("can be changed at run time", async () => {
    sim.setBehaviour("unlisting", { unlisted: [] });
    try {
      expect(parseVersionList((await get("unlisting", "list")).text)).toEqual(["v5.2.2", "v5.2.3", "v5.3.0"]);
    } finally {
      sim.setBehaviour("unlisting", { unlisted: [`${MOD}@v5.3.0`, `${MOD}@v5.2.2`] });
    }
  });
});

describe("listed but not served", () => {
  it("a fault on one version's .zip: listed, .info and .mod served, the .zip not found with the mirror's text", async () => {
    sim.addFault("refusing", { module: MOD, version: "v5.3.0", kinds: ["zip"], effect: { type: "status", status: 404, body: "not found: fetch timed out" } });
    expect(parseVersionList((await get("refusing", "list")).text)).toContain("v5.3.0");
    expect(await statuses("refusing", "v5.3.0")).toEqual([200, 200, 404]);
    const zip = await get("refusing", { version: "v5.3.0", ext: "zip" });
    expect([zip.headers["content-type"], zip.text]).toEqual(["text/plain; charset=utf-8", "not found: fetch timed out"]);
    // The other versions and the other mirrors are untouched.
    expect(await statuses("refusing", "v5.2.3")).toEqual([200, 200, 200]);
    expect(await statuses("ref", "v5.3.0")).toEqual([200, 200, 200]);
  });

  it("410 or a server error instead, for any subset of the files", async () => {
    sim.addFault("refusing", { module: MOD, version: "v5.2.3", kinds: ["info", "mod"], effect: { type: "status", status: 410 } });
    sim.addFault("refusing", { module: MOD, version: "v5.2.2", kinds: ["zip"], effect: { type: "status", status: 500, body: "internal server error" } });
    expect(await statuses("refusing", "v5.2.3")).toEqual([410, 410, 200]);
    expect((await get("refusing", { version: "v5.2.3", ext: "info" })).text).toBe(`not found: ${MOD}@v5.2.3: temporarily unavailable`);
    expect(await statuses("refusing", "v5.2.2")).toEqual([200, 200, 500]);
    expect((await get("refusing", { version: "v5.2.2", ext: "zip" })).text).toBe("internal server error");
    expect(parseVersionList((await get("refusing", "list")).text)).toEqual(["v5.2.2", "v5.2.3", "v5.3.0"]);
  });
});
