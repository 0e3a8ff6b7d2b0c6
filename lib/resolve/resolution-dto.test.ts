// The whole-go.mod predictions of a resolution: how a go.sum changes what one requirement does through a GOPROXY
// value (its lines are checked first and a mismatch ends the command, whatever separator follows), and a required
// version the go.mod excludes, which stops `go mod download` whatever GOPROXY says. go1.19.8 behaved so against the
// simulator (go-mod-fifty.integration.test.ts); these pin the rules on small evidence.
import { describe, expect, it } from "vitest";
import { toProbeDto } from "@/lib/doctor";
import type { DoctorInput, ProbeDto, ProbeStep, ProbedMirror } from "@/lib/doctor";
import type { StoredResolution } from "@/lib/store";
import { excludedBlockers, parseGoproxy, requirementThrough, toResolutionDto, wholeChains } from "./resolution-dto";

const MODULE = "example.com/foo";
const VERSION = "v1.2.3";
const MOD_H1 = "h1:UIVUa3RcQg5/Cot1WfJ7UJIQNGGnLxavWgIa/OYy5Bw=";
const ZIP_H1 = "h1:5Aeam/58Vy6rZRzSQ9j9JxUTjwGqZIs/1wfLsPCnKgk=";
const BAD_MOD_H1 = "h1:+/f+EudwjFaxWI/iX43qx1QCJezI0wXQnI8dBOZRneY=";
const BAD_ZIP_H1 = "h1:dS1IUyaegx5C+tnyjo5g3VbAFt6abb+jU6OPw9+9j90=";

const ok = (): ProbeStep => ({ outcome: "ok", status: 200, latencyMs: 10, message: null, reason: null });
const notFound = (): ProbeStep => ({ outcome: "not_found", status: 404, latencyMs: 10, message: `not found: ${MODULE}@${VERSION}: invalid version: unknown revision ${VERSION}`, reason: null });
const http = (status: number): ProbeStep => ({ outcome: "error", status, latencyMs: 10, message: `HTTP ${status}`, reason: "http_status" });
const skipped = (): ProbeStep => ({ outcome: "skipped", status: null, latencyMs: null, message: null, reason: null });

/** A mirror as a lean probe records it: each file served (or the given step, or a go.mod/zip h1), its /sumdb not asked. */
function mirror(name: string, spec: { baseUrl: string; info?: ProbeStep; mod?: ProbeStep | string; zip?: ProbeStep | string }): ProbedMirror {
  const file = (s: ProbeStep | string | undefined, h1: string) => (typeof s === "string" ? { ...ok(), h1: s } : s ? { ...s, h1: s.outcome === "ok" ? h1 : null } : { ...ok(), h1 });
  const mod = file(spec.mod, MOD_H1);
  const zip = file(spec.zip, ZIP_H1);
  return {
    name,
    baseUrl: spec.baseUrl,
    probe: {
      info: { ...(spec.info ?? ok()), time: spec.info ? null : "2024-01-01T00:00:00Z" },
      mod: { ...mod, modulePath: mod.outcome === "ok" ? MODULE : null },
      zip: { ...zip, bytes: zip.outcome === "ok" ? 1234 : null },
      sumdb: { ...skipped(), supported: skipped(), verified: false, failure: null, treeSize: null, zipH1: null, modH1: null },
    },
    context: { listed: null, latest: null, retracted: null, lagP90Seconds: null },
    health: { inSyncRate: null, p90LagSeconds: null, errorRate: null },
  };
}

const withoutZip = (m: ProbedMirror): ProbedMirror => ({ ...m, probe: { ...m.probe, zip: { ...skipped(), h1: null, bytes: null } } });

/** Read directly from the checksum database, verified: the origin's hashes. */
function doctorInput(mirrors: ProbedMirror[], over: Partial<DoctorInput> = {}): DoctorInput {
  return {
    module: MODULE,
    version: VERSION,
    fetch: true,
    zip: true,
    at: new Date("2026-12-03T12:00:00Z"),
    reference: mirrors[0]?.name ?? "a",
    sumdb: { name: "sum.golang.org", enabled: true, verified: true, zipH1: ZIP_H1, modH1: MOD_H1, treeSize: 2, source: "direct", direct: ok(), message: null, failure: null },
    referenceFirstSeen: null,
    mirrors,
    ...over,
  };
}

const A = "https://a.example";
const B = "https://b.example";

function probeDto(input: DoctorInput, id = 1): ProbeDto {
  return toProbeDto({ ...input, id, requested: input.version, mirrorSumdb: false, checkId: null }, "en");
}

/** `a` serves other go.mod bytes than the checksum database records; `b` serves the origin's. */
const contradicted = (zip = false) => {
  const mirrors = [mirror("a", { baseUrl: A, mod: BAD_MOD_H1 }), mirror("b", { baseUrl: B })];
  return probeDto(doctorInput(zip ? mirrors : mirrors.map(withoutZip), { zip }));
};

const right = { gomod: [MOD_H1], zip: [] };
const none = { gomod: [], zip: [] };

describe("parseGoproxy", () => {
  it("splits on , and |, the separator after an entry saying whether any error falls through", () => {
    expect(parseGoproxy(`${A}|${B},direct`)).toEqual([{ kind: "mirror", baseUrl: A, pipe: true }, { kind: "mirror", baseUrl: B, pipe: false }, { kind: "direct" }]);
  });
});

describe("requirementThrough: a requirement through one GOPROXY value, with its go.sum lines", () => {
  it("is the probe's own chain prediction without go.sum lines", () => {
    const p = contradicted();
    for (const c of p.goproxy.chains) expect(requirementThrough(p, c.goproxy, none), c.goproxy).toBe(c.result);
  });

  it("fails through a mirror whose go.mod contradicts the go.sum even after `|`, where the checksum database alone lets it fall through", () => {
    const p = contradicted();
    // Without a go.sum the database's mismatch is an error of that proxy: `|` moves on to b.
    expect(p.goproxy.chains.find((c) => c.goproxy === `${A}|${B}`)?.result).toBe("ok");
    expect(requirementThrough(p, `${A}|${B}`, right)).toBe("fail");
    expect(requirementThrough(p, `${A},${B}`, right)).toBe("fail");
    expect(requirementThrough(p, A, right)).toBe("fail");
    expect(requirementThrough(p, `${B},${A}`, right)).toBe("ok");
    expect(requirementThrough(p, `${B}|${A}`, right)).toBe("ok");
  });

  it("takes a go.mod the go.sum agrees with, without asking the checksum database", () => {
    const p = contradicted();
    // The go.sum was written from a's bytes: the database (which disagrees) is never asked for the go.mod.
    expect(p.goproxy.chains.find((c) => c.goproxy === A)?.result).toBe("fail");
    expect(requirementThrough(p, A, { gomod: [BAD_MOD_H1], zip: [] })).toBe("ok");
    expect(requirementThrough(p, `${B},${A}`, { gomod: [BAD_MOD_H1], zip: [] })).toBe("fail");
  });

  it("judges by the first h1 line for the file, as haveModSumLocked does", () => {
    const p = contradicted();
    expect(requirementThrough(p, B, { gomod: [MOD_H1, BAD_MOD_H1], zip: [] })).toBe("ok");
    expect(requirementThrough(p, B, { gomod: [BAD_MOD_H1, MOD_H1], zip: [] })).toBe("fail");
  });

  it("falls through a 404 to the next entry and stops a comma list on a 502, go.sum or not", () => {
    const missing = probeDto(doctorInput([mirror("a", { baseUrl: A, info: notFound(), mod: notFound(), zip: notFound() }), mirror("b", { baseUrl: B })].map(withoutZip), { zip: false }));
    expect(requirementThrough(missing, `${A},${B}`, right)).toBe("ok");
    expect(requirementThrough(missing, A, right)).toBe("fail");
    expect(requirementThrough(missing, `${A},direct`, right)).toBe("needs_direct");
    const broken = probeDto(doctorInput([mirror("a", { baseUrl: A, mod: http(502) }), mirror("b", { baseUrl: B })].map(withoutZip), { zip: false }));
    expect(requirementThrough(broken, `${A},${B}`, right)).toBe("fail");
    expect(requirementThrough(broken, `${A}|${B}`, right)).toBe("ok");
  });

  it("checks a zip against its go.sum line after the fetch: another zip fails even after `|`", () => {
    const p = probeDto(doctorInput([mirror("a", { baseUrl: A, zip: BAD_ZIP_H1 }), mirror("b", { baseUrl: B })]));
    expect(requirementThrough(p, `${A}|${B}`, { gomod: [MOD_H1], zip: [ZIP_H1] })).toBe("fail");
    expect(requirementThrough(p, `${B}|${A}`, { gomod: [MOD_H1], zip: [ZIP_H1] })).toBe("ok");
    // Without a zip line the database judges it, still after the fetch.
    expect(requirementThrough(p, `${A}|${B}`, { gomod: [MOD_H1], zip: [] })).toBe("fail");
    expect(requirementThrough(p, B, { gomod: [MOD_H1], zip: [] })).toBe("ok");
  });
});

describe("excludedBlockers", () => {
  const items = [
    { module: "example.com/x", version: "v1.0.0", excluded: true },
    { module: "example.com/y", version: "v1.0.0", excluded: false },
  ];
  it("names a required version the go.mod excludes, from go 1.17 on (go mod download then lists the go.mod's paths)", () => {
    expect(excludedBlockers("module m\n\ngo 1.21\n", items)).toEqual([{ module: "example.com/x", version: "v1.0.0" }]);
    expect(excludedBlockers("module m\n\ngo 1.17\n", items)).toHaveLength(1);
  });
  it("names nothing before go 1.17 or without a go directive (go mod download then downloads `all`)", () => {
    expect(excludedBlockers("module m\n\ngo 1.16\n", items)).toEqual([]);
    expect(excludedBlockers("module m\n", items)).toEqual([]);
  });
});

describe("toResolutionDto: the whole go.mod", () => {
  const resolution = (gomod: string, gosum: string | null, items: StoredResolution["items"]): StoredResolution => ({
    id: 7,
    createdAt: new Date("2026-12-03T12:00:00Z"),
    finishedAt: new Date("2026-12-03T12:00:05Z"),
    inputHash: "h",
    gomod,
    gosum,
    zips: false,
    status: "done",
    total: items.length,
    items,
  });
  const item = (position: number, module: string, over: Partial<StoredResolution["items"][number]> = {}) => ({
    position,
    module,
    version: VERSION,
    indirect: false,
    replacedBy: null,
    excluded: false,
    probeId: null,
    ...over,
  });

  it("never advises a value that takes a go.mod the go.sum contradicts, and lists the values' results", () => {
    const p = contradicted();
    const gomod = `module m\n\ngo 1.21\n\nrequire ${MODULE} ${VERSION}\n`;
    const dto = toResolutionDto(resolution(gomod, `${MODULE} ${VERSION}/go.mod ${MOD_H1}\n`, [item(0, MODULE, { probeId: 1 })]), new Map([[1, p]]), ["a", "b"]);
    const results = Object.fromEntries((dto.chains ?? []).map((c) => [c.goproxy, c.result]));
    expect(results).toMatchObject({ [A]: "fail", [B]: "ok", [`${A}|${B}`]: "fail", [`${B}|${A}`]: "ok", [`${B},${A}`]: "ok" });
    expect(dto.advice.goproxy === null ? null : results[dto.advice.goproxy]).toBe("ok");
    expect(dto.unresolvable).toEqual([]);
  });

  it("lists a requirement whose go.sum line no mirror matches as unresolvable, with no mirror's code to blame", () => {
    const p = probeDto(doctorInput([mirror("a", { baseUrl: A }), mirror("b", { baseUrl: B })].map(withoutZip), { zip: false }));
    const gomod = `module m\n\ngo 1.21\n\nrequire ${MODULE} ${VERSION}\n`;
    const dto = toResolutionDto(resolution(gomod, `${MODULE} ${VERSION}/go.mod ${BAD_MOD_H1}\n`, [item(0, MODULE, { probeId: 1 })]), new Map([[1, p]]), ["a", "b"]);
    expect(dto.requirements[0]?.gosumVsChecksumDb).toBe("mismatch");
    expect(dto.unresolvable).toEqual([{ module: MODULE, version: VERSION, code: null, goprivate: null }]);
    expect(dto.advice.goproxy).toBeNull();
  });

  it("says nothing resolves when a required version is excluded, and names it among the unresolvable", () => {
    const p = probeDto(doctorInput([mirror("a", { baseUrl: A }), mirror("b", { baseUrl: B })].map(withoutZip), { zip: false }));
    const gomod = `module m\n\ngo 1.21\n\nrequire (\n\t${MODULE} ${VERSION}\n\texample.com/old v1.0.0\n)\n\nexclude example.com/old v1.0.0\n`;
    const items = [item(0, MODULE, { probeId: 1 }), item(1, "example.com/old", { version: "v1.0.0", excluded: true })];
    const dto = toResolutionDto(resolution(gomod, null, items), new Map([[1, p]]), ["a", "b"]);
    expect(dto.advice.goproxy).toBeNull();
    expect(dto.advice.reason).toContain('"module example.com/old: not a known dependency"');
    expect(dto.chains?.every((c) => c.result === "fail")).toBe(true);
    expect(dto.unresolvable).toEqual([{ module: "example.com/old", version: "v1.0.0", code: null, goprivate: null }]);
    // The same go.mod at go 1.16 downloads `all`: the dropped requirement is no error there.
    const older = toResolutionDto(resolution(gomod.replace("go 1.21", "go 1.16"), null, items), new Map([[1, p]]), ["a", "b"]);
    expect(older.advice.goproxy).not.toBeNull();
    expect(older.unresolvable).toEqual([]);
  });

  it("wholeChains: a value fails when one requirement fails through it, needs direct when one needs the origin", () => {
    const served = probeDto(doctorInput([mirror("a", { baseUrl: A }), mirror("b", { baseUrl: B })].map(withoutZip), { zip: false }));
    const onlyB = probeDto(doctorInput([mirror("a", { baseUrl: A, info: notFound(), mod: notFound() }), mirror("b", { baseUrl: B })].map(withoutZip), { zip: false }), 2);
    const chains = Object.fromEntries(wholeChains([{ probe: served, sums: none }, { probe: onlyB, sums: none }], false).map((c) => [c.goproxy, c.result]));
    expect(chains).toMatchObject({ [A]: "fail", [`${A},direct`]: "needs_direct", [`${A},${B}`]: "ok", [B]: "ok" });
    expect(wholeChains([{ probe: served, sums: none }], true).every((c) => c.result === "fail")).toBe(true);
  });
});
