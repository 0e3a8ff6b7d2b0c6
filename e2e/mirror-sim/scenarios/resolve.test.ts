// The whole-go.mod scenario as data: its go.mod is one the go command accepts, with the 50 requirements and the
// staged replace and exclude; every served go.mod is self-contained (names only requirements of that go.mod, at no
// higher version), so `go mod download` needs nothing the simulator lacks; the go.sum has a line per fetched file.
import { describe, expect, it } from "vitest";
import { RESOLVE_REQUIREMENTS, STAGED, fetchedAs, resolveGoMod, resolveGoSum, resolveModules, variantRequirements } from "./resolve";
import { compareVersions, effectiveRequirements, parseMainGoMod } from "@/lib/goproxy";

describe("the resolve scenario", () => {
  it("writes a go.mod the go command accepts, whose requirements are the 50 with the staged replace and exclude", () => {
    const parsed = parseMainGoMod(resolveGoMod());
    expect(parsed.errors).toEqual([]);
    expect(effectiveRequirements(parsed)).toEqual(
      RESOLVE_REQUIREMENTS.map((r) => ({
        module: r.module,
        version: r.version,
        indirect: r.indirect,
        replacedBy: r.stage === "replaced" ? { ...STAGED.replaced.by } : r.stage === "local" ? { local: STAGED.local.dir } : null,
        excluded: r.stage === "excluded",
      })),
    );
    expect(effectiveRequirements(parseMainGoMod(resolveGoMod({ unknown: false, excludedRequired: false }))).map((r) => `${r.module}@${r.version}`)).toEqual(
      variantRequirements({ unknown: false, excludedRequired: false }).map((r) => `${r.module}@${r.version}`),
    );
  });

  it("serves every fetched requirement, and no served go.mod names a module or version beyond the go.mod's", () => {
    const modules = new Map(resolveModules().map((m) => [m.path, m]));
    const required = new Map(RESOLVE_REQUIREMENTS.map((r) => [r.module, r.version]));
    for (const r of RESOLVE_REQUIREMENTS) {
      const target = fetchedAs(r);
      if (!target || r.stage === "unknown") continue;
      const v = modules.get(target.module)?.versions.find((x) => x.version === target.version);
      expect(v, `${target.module}@${target.version} served`).toBeDefined();
      for (const dep of parseMainGoMod(v?.gomod ?? `module ${target.module}\n`).requires) {
        const mine = required.get(dep.path);
        expect(mine, `${target.module} requires ${dep.path}`).toBeDefined();
        expect(compareVersions(dep.version, mine ?? "v0.0.0"), `${target.module} requires ${dep.path} ${dep.version}`).toBeLessThanOrEqual(0);
      }
    }
    // (b) is unknown at the origin; (d)'s path is served by nobody, only its replacement.
    expect(modules.get(STAGED.unknown.module)).toMatchObject({ origin: "missing", versions: [] });
    expect(modules.has(STAGED.replaced.module)).toBe(false);
  });

  it("writes a go.sum line per fetched go.mod (and zip), none for what nobody serves or a directory", () => {
    const sum = resolveGoSum({ goMod: (m, v) => `h1:mod-${m}@${v}`, zip: (m, v) => `h1:zip-${m}@${v}` });
    const lines = sum.trimEnd().split("\n");
    // 50 − (b) − (e) = 48 fetched, plus (f)'s next release.
    expect(lines).toHaveLength(2 * 49);
    expect(sum).toContain(`${STAGED.replaced.by.path} ${STAGED.replaced.by.version}/go.mod h1:mod-`);
    expect(sum).not.toContain(STAGED.replaced.module);
    expect(sum).not.toContain(STAGED.unknown.module);
    expect(sum).not.toContain(`${STAGED.local.module} `);
    expect(resolveGoSum({ goMod: () => "h1:x" }).trimEnd().split("\n")).toHaveLength(49);
  });
});
