// Checks that the doctor scenario produces, for every DOCTOR_CASES entry, the evidence its expected diagnosis
// rests on. The classifier below is a plain reading of the codes' definitions, not the doctor itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock } from "../clock";
import { escapeGoPath, isPrerelease, sortSemver } from "../go-rules";
import { proxyUrl, startMirrorSim } from "../sim";
import type { MirrorSim } from "../sim";
import { rawGet } from "../test-helpers";
import type { RawResponse } from "../test-helpers";
import { DOCTOR_CASES, DOCTOR_MIRRORS, DOCTOR_PROBE_TIMEOUT_MS, DOCTOR_REFERENCE, DOCTOR_SLOW_ANSWER_MS, DOCTOR_START, doctorScenario } from "./doctor";
import type { DiagnosisCode, DoctorMirror } from "./doctor";
import { SumdbError, createTileReader, hashGoMod, hashZip, isRetracted, parseGoMod, parseVerifierKey, parseVersionList, verifyLookup } from "@/lib/goproxy";

// A Record over the union: the compiler insists every code is listed, the test that every code has a case.
const CODES: Record<DiagnosisCode, true> = {
  served: true,
  retracted_served: true,
  not_yet_on_mirror: true,
  no_such_version: true,
  no_such_module: true,
  path_mismatch: true,
  invalid_version: true,
  mirror_error: true,
  hash_mismatch: true,
  sumdb_unverified: true,
};

let sim: MirrorSim;
const base = (mirror: string) => sim.mirrors.find((m) => m.name === mirror)?.baseUrl ?? "";

beforeAll(async () => {
  sim = await startMirrorSim(doctorScenario(), { clock: createSimClock(DOCTOR_START) });
});
afterAll(async () => {
  await sim.close();
});

type Files = Record<"info" | "mod" | "zip", RawResponse>;

async function files(mirror: string, module: string, version: string): Promise<Files> {
  const one = (ext: "info" | "mod" | "zip") => rawGet(proxyUrl(base(mirror), module, { version, ext }), { timeoutMs: DOCTOR_PROBE_TIMEOUT_MS });
  const [info, mod, zip] = await Promise.all([one("info"), one("mod"), one("zip")]);
  return { info, mod, zip };
}

async function bytes(url: string): Promise<Uint8Array | null> {
  const res = await rawGet(url, { timeoutMs: 5000 });
  return res.status === 200 ? new Uint8Array(res.body) : null;
}

/** "verified", "not proxied", or the SumdbError code of a lookup through `prefix`. */
async function sumdbThrough(prefix: string, module: string, version: string): Promise<{ result: string; zipH1?: string | null; modH1?: string | null }> {
  const lookup = await rawGet(`${prefix}/lookup/${escapeGoPath(module)}@${escapeGoPath(version)}`, { timeoutMs: 5000 });
  if (lookup.status !== 200) return { result: `http ${lookup.status}` };
  try {
    const v = await verifyLookup({
      module,
      version,
      body: new Uint8Array(lookup.body),
      verifier: parseVerifierKey(sim.sumdb?.verifierKey ?? ""),
      tiles: createTileReader((path) => bytes(`${prefix}/${path}`)),
    });
    return { result: "verified", zipH1: v.zipH1, modH1: v.modH1 };
  } catch (err) {
    if (err instanceof SumdbError) return { result: err.code };
    throw err;
  }
}

const notFound = (r: RawResponse) => r.status === 404 || r.status === 410;

async function classify(mirror: DoctorMirror, module: string, version: string): Promise<DiagnosisCode> {
  const got = await files(mirror, module, version);
  const all = [got.info, got.mod, got.zip];
  if (all.some((r) => r.error !== undefined || !r.complete || (r.status !== 200 && !notFound(r)))) return "mirror_error";
  const missing = all.find(notFound);
  if (missing) {
    // The goproxy library's 404s for its own failed fetch: the mirror's trouble, not the module's absence.
    if (/^not found: (fetch timed out|bad upstream)$/.test(missing.text)) return "mirror_error";
    if (/terminal prompts disabled|unrecognized import path/.test(missing.text)) return "no_such_module";
    if (/invalid version: (module contains a go\.mod file|module path includes a major version suffix|\+incompatible suffix not allowed)/.test(missing.text)) return "invalid_version";
    const ref = await files(DOCTOR_REFERENCE, module, version);
    if ([ref.info, ref.mod, ref.zip].every((r) => r.status === 200)) return "not_yet_on_mirror";
    if (/invalid version: unknown revision/.test(missing.text)) return "no_such_version";
    throw new Error(`${mirror} ${module}@${version}: unclassified not-found ${missing.text}`);
  }
  const record = await sumdbThrough(sim.sumdb?.url ?? "", module, version);
  if (record.result !== "verified") throw new Error(`the checksum database does not verify ${module}@${version}: ${record.result}`);
  if (hashZip(got.zip.body) !== record.zipH1 || hashGoMod(got.mod.body) !== record.modH1) return "hash_mismatch";
  const prefix = `${base(mirror)}/sumdb/${sim.sumdb?.name ?? ""}`;
  if ((await rawGet(`${prefix}/supported`)).status === 200 && (await sumdbThrough(prefix, module, version)).result !== "verified") return "sumdb_unverified";
  if (parseGoMod(got.mod.text).module !== module) return "path_mismatch";
  // Retractions come from the go.mod of the reference's highest listed release.
  const listed = sortSemver(parseVersionList((await rawGet(proxyUrl(base(DOCTOR_REFERENCE), module, "list"))).text));
  const authoritative = listed.filter((v) => !isPrerelease(v)).at(-1) ?? listed.at(-1);
  if (authoritative) {
    const gomod = (await rawGet(proxyUrl(base(DOCTOR_REFERENCE), module, { version: authoritative, ext: "mod" }))).text;
    if (isRetracted(version, parseGoMod(gomod).retractions)) return "retracted_served";
  }
  return "served";
}

describe("the doctor scenario", () => {
  it("has the three mirrors, the reference, a checksum database, and a case for every diagnosis code", () => {
    expect(sim.mirrors.map((m) => m.name)).toEqual([...DOCTOR_MIRRORS]);
    expect(sim.reference).toBe("proxy.golang.org");
    expect(sim.sumdb?.name).toBe("sum.mirror-sim.test");
    const seen = new Set(DOCTOR_CASES.flatMap((c) => Object.values(c.expect)));
    expect([...Object.keys(CODES)].filter((code) => !seen.has(code as DiagnosisCode))).toEqual([]);
    expect(new Set(DOCTOR_CASES.map((c) => `${c.module}@${c.version}`)).size).toBe(DOCTOR_CASES.length);
    expect(DOCTOR_SLOW_ANSWER_MS).toBeGreaterThan(DOCTOR_PROBE_TIMEOUT_MS);
  });

  for (const c of DOCTOR_CASES) {
    it(`${c.module}@${c.version}: ${DOCTOR_MIRRORS.map((m) => c.expect[m]).join(" / ")}`, async () => {
      const got = await Promise.all(DOCTOR_MIRRORS.map((m) => classify(m, c.module, c.version)));
      expect(Object.fromEntries(DOCTOR_MIRRORS.map((m, i) => [m, got[i]]))).toEqual(c.expect);
    });
  }

  it("goproxy.cn serves jwt/v5@v5.3.0 without listing it, and lists sarama@v1.50.3 without serving its zip", async () => {
    const list = async (mirror: string, module: string) => parseVersionList((await rawGet(proxyUrl(base(mirror), module, "list"))).text);
    expect(await list("goproxy.cn", "github.com/golang-jwt/jwt/v5")).not.toContain("v5.3.0");
    expect(await list("proxy.golang.org", "github.com/golang-jwt/jwt/v5")).toContain("v5.3.0");
    expect(await list("goproxy.cn", "github.com/IBM/sarama")).toContain("v1.50.3");
    const zip = await rawGet(proxyUrl(base("goproxy.cn"), "github.com/IBM/sarama", { version: "v1.50.3", ext: "zip" }));
    expect([zip.status, zip.text]).toEqual([404, "not found: fetch timed out"]);
  });

  it("keeps every answer small: no zip above 4 KiB", () => {
    for (const m of doctorScenario().modules) {
      for (const v of m.versions) {
        if (m.origin === undefined && v.invalid === undefined) expect(sim.zipFor(m.path, v.version).length, `${m.path}@${v.version}`).toBeLessThan(4096);
      }
    }
  });
});
