import { describe, expect, it } from "vitest";
import type { RequirementDto, RequirementMirrorDto, ResolutionDto } from "@/lib/resolve";
import { cellHref, filterRequirements, hasGoSum, isFailing, matrixRows, sortRequirements, unresolvableReason } from "./resolution-rows";
import { exportCommand, goprivateCommand, resolutionMarkdownReport } from "./resolution-report";

const served = (gomod: RequirementMirrorDto["gosum"]["gomod"] = "not_probed"): RequirementMirrorDto => ({
  verdict: "ok",
  diagnosis: { code: "served", text: "Served." },
  gosum: { gomod, zip: "not_probed" },
});
const missing: RequirementMirrorDto = { verdict: "not_found", diagnosis: { code: "not_yet_on_mirror", text: "Not there yet." }, gosum: { gomod: "not_probed", zip: "not_probed" } };

function req(module: string, over: Partial<RequirementDto> = {}): RequirementDto {
  return {
    module,
    version: "v1.0.0",
    indirect: false,
    replacedBy: null,
    excluded: false,
    state: "probed",
    probeId: 1,
    permalink: `/m/${module}@v1.0.0?probe=1`,
    gosumVsChecksumDb: null,
    mirrors: { a: served(), b: served() },
    ...over,
  };
}

function resolution(requirements: RequirementDto[], over: Partial<ResolutionDto> = {}): ResolutionDto {
  return {
    id: 4,
    status: "done",
    createdAt: "2026-12-03T12:00:00.000Z",
    finishedAt: "2026-12-03T12:00:09.000Z",
    zips: false,
    done: requirements.length,
    total: requirements.length,
    permalink: "/resolve?id=4",
    requirements,
    mirrors: { a: { resolves: 2, fails: 0, missing: 0 }, b: { resolves: 1, fails: 0, missing: 1 } },
    advice: { goproxy: "https://a", reason: "Every probed requirement resolves through GOPROXY=https://a now (2 of them)." },
    unresolvable: [],
    ...over,
  };
}

describe("the matrix rows", () => {
  const zeta = req("example.com/zeta");
  const alpha = req("example.com/alpha");
  const late = req("example.com/late", { mirrors: { a: served(), b: missing } });
  const pending = req("example.com/pending", { state: "pending", probeId: null, permalink: null, mirrors: {} });
  const local = req("example.com/local", { state: "local", replacedBy: { local: "../local" }, probeId: null, permalink: null, mirrors: {} });
  const indirect = req("example.com/indirect", { indirect: true, mirrors: { a: served(), b: missing } });
  const contradicted = req("example.com/sum", { mirrors: { a: served("match"), b: served("mismatch") } });

  it("puts failing rows first, then pending, then served, then the ones never fetched; by module within each", () => {
    expect(sortRequirements([local, zeta, pending, late, alpha, indirect]).map((r) => r.module)).toEqual([
      "example.com/indirect",
      "example.com/late",
      "example.com/pending",
      "example.com/alpha",
      "example.com/zeta",
      "example.com/local",
    ]);
  });

  it("counts a go.sum line a mirror contradicts as failing, though the mirror serves it", () => {
    expect(isFailing(contradicted)).toBe(true);
    expect(isFailing(alpha)).toBe(false);
    expect(isFailing(pending)).toBe(false);
  });

  it("filters to the failing and to the direct requirements", () => {
    const all = [zeta, late, pending, indirect, contradicted];
    expect(filterRequirements(all, { failing: true, direct: false }).map((r) => r.module)).toEqual(["example.com/late", "example.com/indirect", "example.com/sum"]);
    expect(filterRequirements(all, { failing: true, direct: true }).map((r) => r.module)).toEqual(["example.com/late", "example.com/sum"]);
    expect(matrixRows(resolution(all), { failing: false, direct: true }).map((r) => r.module)).toEqual(["example.com/late", "example.com/sum", "example.com/pending", "example.com/zeta"]);
  });

  it("links a cell to the probe's version page, pointing at the mirror", () => {
    expect(cellHref(late, "b", null)).toBe("/m/example.com/late@v1.0.0?probe=1&mirror=b");
    expect(cellHref(late, "b", "zh-CN")).toBe("/m/example.com/late@v1.0.0?probe=1&mirror=b&lang=zh-CN");
    expect(cellHref(pending, "b", null)).toBeNull();
  });

  it("knows whether a go.sum was given", () => {
    expect(hasGoSum(resolution([zeta, late]))).toBe(false);
    expect(hasGoSum(resolution([zeta, contradicted]))).toBe(true);
  });
});

describe("the Markdown report", () => {
  it("has the absolute permalink, the advice, the totals and each failing requirement's mirrors", () => {
    const late = req("example.com/late", { indirect: true, mirrors: { a: served(), b: missing } });
    const text = resolutionMarkdownReport(resolution([req("example.com/ok"), late]), "http://host:3000");
    expect(text).toContain("**go.mod resolution #4** on Go module mirrors");
    expect(text).toContain("Permalink: http://host:3000/resolve?id=4");
    expect(text).toContain('go env -w GOPROXY="https://a"');
    expect(text).toContain("| b | 1 | 0 | 1 |");
    expect(text).toContain("Failing requirements (1 of 2):");
    expect(text).toContain("- `example.com/late@v1.0.0` (indirect): http://host:3000/m/example.com/late@v1.0.0?probe=1");
    expect(text).toContain("  - ✗ b: not found, not yet on mirror: Not there yet.");
    expect(text).toContain("  - ✓ a: ok, served: Served.");
    expect(text).not.toContain("example.com/ok@");
  });

  it("names what nothing serves with the GOPRIVATE command, and says when there is no GOPROXY to advise", () => {
    const ghost = req("github.com/acme/ghost", { mirrors: { a: { ...missing, diagnosis: { code: "no_such_module", text: "No repo." } }, b: missing } });
    const r = resolution([ghost], {
      advice: { goproxy: null, reason: "No single GOPROXY value of the configured mirrors serves every requirement now." },
      unresolvable: [{ module: ghost.module, version: "v1.0.0", code: "no_such_module", goprivate: "github.com/acme" }],
    });
    const text = resolutionMarkdownReport(r, "http://h");
    expect(text).toContain("GOPROXY advice: none. No single GOPROXY value");
    expect(text).toContain("- `github.com/acme/ghost@v1.0.0`: no such module; if it is private, GOPRIVATE=github.com/acme");
    expect(goprivateCommand(r)).toBe('go env -w GOPRIVATE="github.com/acme"');
    expect(exportCommand("https://a,direct")).toBe('export GOPROXY="https://a,direct"');
  });

  it("says a go.sum line a mirror contradicts, and what was not fetched", () => {
    const sum = req("example.com/sum", { gosumVsChecksumDb: "match", mirrors: { a: served("match"), b: served("mismatch") } });
    const local = req("example.com/local", { state: "local", replacedBy: { local: "../local" }, probeId: null, permalink: null, mirrors: {} });
    const text = resolutionMarkdownReport(resolution([sum, local]), "http://h");
    expect(text).toContain("  - ✗ b: ok, served: Served. (go.sum /go.mod line DIFFERS from what it serves)");
    expect(text).toContain("Not fetched: `example.com/local@v1.0.0` (replaced by ../local).");
  });

  it("says why a requirement without a diagnosis code is unresolvable, and which GOPROXY values work", () => {
    const echo = req("example.com/echo", { state: "excluded", excluded: true, probeId: null, permalink: null, mirrors: {} });
    const sum = req("example.com/sum", { gosumVsChecksumDb: "mismatch", mirrors: { a: served("mismatch"), b: served("mismatch") } });
    const r = resolution([echo, sum], {
      advice: { goproxy: null, reason: "go mod download fails whatever GOPROXY says." },
      chains: [
        { goproxy: "https://a", result: "fail" },
        { goproxy: "https://b", result: "fail" },
      ],
      unresolvable: [
        { module: echo.module, version: "v1.0.0", code: null, goprivate: null },
        { module: sum.module, version: "v1.0.0", code: null, goprivate: null },
      ],
    });
    expect(r.unresolvable.map((u) => unresolvableReason(r, u))).toEqual(["excluded", "gosum"]);
    const text = resolutionMarkdownReport(r, "http://h");
    expect(text).toContain("- `example.com/echo@v1.0.0`: the go.mod excludes this version and also requires it");
    expect(text).toContain("- `example.com/sum@v1.0.0`: its go.sum line contradicts every mirror");
    expect(text).toContain("GOPROXY values that work for the whole go.mod: 0 of 2; all of them on the permalink.");
    const ok = resolutionMarkdownReport(resolution([req("example.com/ok")], { chains: [{ goproxy: "https://a", result: "ok" }, { goproxy: "https://b", result: "fail" }] }), "http://h");
    expect(ok).toContain("GOPROXY values that work for the whole go.mod: 1 of 2 (`https://a`); all of them on the permalink.");
  });
});
