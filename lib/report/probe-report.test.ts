import { describe, expect, it } from "vitest";
import { toProbeDto } from "@/lib/doctor";
import type { StoredProbe } from "@/lib/store";
import { goEnvCommand, goErrorThrough, primaryChains, probeMarkdownReport } from "./probe-report";

const ZIP_H1 = "h1:5Aeam/58Vy6rZRzSQ9j9JxUTjwGqZIs/1wfLsPCnKgk=";
const MOD_H1 = "h1:UIVUa3RcQg5/Cot1WfJ7UJIQNGGnLxavWgIa/OYy5Bw=";
const BAD_ZIP_H1 = "h1:dS1IUyaegx5C+tnyjo5g3VbAFt6abb+jU6OPw9+9j90=";
const ok = { outcome: "ok" as const, status: 200, latencyMs: 12, message: null, reason: null };

/** A mirror that serves the version with the checksum database's hashes unless `zipH1` says otherwise. */
function mirror(name: string, zipH1 = ZIP_H1): StoredProbe["mirrors"][number] {
  return {
    name,
    baseUrl: `https://${name}`,
    probe: {
      info: { ...ok, time: "2024-01-01T00:00:00Z" },
      mod: { ...ok, h1: MOD_H1, modulePath: "example.com/foo" },
      zip: { ...ok, h1: zipH1, bytes: 1234 },
      sumdb: { ...ok, supported: ok, verified: true, failure: null, treeSize: 2, zipH1: ZIP_H1, modH1: MOD_H1 },
    },
    context: { listed: true, latest: "v1.2.3", retracted: null, lagP90Seconds: null },
    health: { inSyncRate: 1, p90LagSeconds: 60, errorRate: 0 },
  };
}

function probe(mirrors: StoredProbe["mirrors"], sumdbOn = true): StoredProbe {
  return {
    id: 7,
    module: "example.com/foo",
    version: "v1.2.3",
    requested: "v1.2.3",
    zip: true,
    mirrorSumdb: true,
    at: new Date("2026-12-03T12:00:00Z"),
    fetch: true,
    reference: "proxy.golang.org",
    checkId: 3,
    referenceFirstSeen: null,
    sumdb: sumdbOn
      ? { name: "sum.golang.org", enabled: true, verified: true, zipH1: ZIP_H1, modH1: MOD_H1, treeSize: 2, source: "direct", direct: ok, message: null, failure: null }
      : {
          name: null,
          enabled: false,
          verified: false,
          zipH1: null,
          modH1: null,
          treeSize: null,
          source: null,
          direct: { outcome: "skipped", status: null, latencyMs: null, message: null, reason: null },
          message: "checksum verification is off (SUMDB=off)",
          failure: null,
        },
    mirrors,
  };
}

const PERMALINK = "https://mirrorlag.example/m/example.com/foo@v1.2.3?probe=7";

describe("probeMarkdownReport", () => {
  it("carries each diagnosis, the evidence against the checksum database, the GOPROXY advice and the permalink", () => {
    const dto = toProbeDto(probe([mirror("proxy.golang.org"), mirror("goproxy.cn", BAD_ZIP_H1)]));
    const report = probeMarkdownReport(dto, PERMALINK);
    expect(report.startsWith("**example.com/foo@v1.2.3** on Go module mirrors: mirrorlag probe #7, 2026-12-03 12:00 UTC, fetching (like go get)")).toBe(true);
    for (const name of dto.mirrorOrder) expect(report).toContain(dto.mirrors[name]?.diagnosis.text.replace(/\|/g, "\\|"));
    expect(report).toContain(`\`${BAD_ZIP_H1}\` (DIFFERS from sum.golang.org: \`${ZIP_H1}\`)`);
    expect(report).toContain(`\`${ZIP_H1}\` (matches sum.golang.org)`);
    // The go command's own text for the bad mirror, quoted whole in a code block.
    const text = goErrorThrough(dto, "goproxy.cn");
    expect(text).toContain("checksum mismatch");
    expect(report).toContain(`- goproxy.cn:\n\n  \`\`\`\n${(text ?? "").split("\n").map((l) => `  ${l}`).join("\n")}\n  \`\`\``);
    expect(goErrorThrough(dto, "proxy.golang.org")).toBeNull();
    expect(report).toContain(`GOPROXY advice: \`${dto.goproxy.advice.goproxy}\`: ${dto.goproxy.advice.reason}`);
    expect(report).toContain(goEnvCommand(dto.goproxy.advice.goproxy));
    expect(report.endsWith(`Evidence: ${PERMALINK}`)).toBe(true);
  });

  it("lists each mirror alone (and with ,direct) plus the advice, escaping a `|` list inside the table", () => {
    const dto = toProbeDto(probe([mirror("proxy.golang.org"), mirror("goproxy.cn")]));
    const shown = primaryChains(dto).map((c) => c.goproxy);
    expect(shown).toEqual(expect.arrayContaining(["https://proxy.golang.org", "https://proxy.golang.org,direct", "https://goproxy.cn", "https://goproxy.cn,direct"]));
    expect(shown).toContain(dto.goproxy.advice.goproxy);
    const report = probeMarkdownReport({ ...dto, goproxy: { ...dto.goproxy, advice: { ...dto.goproxy.advice, goproxy: "https://goproxy.cn|https://proxy.golang.org" } } }, PERMALINK);
    expect(report).toContain('go env -w GOPROXY="https://goproxy.cn|https://proxy.golang.org"');
    expect(report).toContain("| `https://goproxy.cn\\|https://proxy.golang.org` |");
    for (const line of report.split("\n").filter((l) => l.startsWith("| `"))) expect(line.split(/(?<!\\)\|/).length).toBe(5);
  });

  it("says when nothing was verified because verification was off", () => {
    const off = (m: StoredProbe["mirrors"][number]): StoredProbe["mirrors"][number] => ({
      ...m,
      probe: { ...m.probe, sumdb: { outcome: "skipped", status: null, latencyMs: null, message: null, reason: null, supported: { outcome: "skipped", status: null, latencyMs: null, message: null, reason: null }, verified: false, failure: null, treeSize: null, zipH1: null, modH1: null } },
    });
    const report = probeMarkdownReport(toProbeDto(probe([off(mirror("proxy.golang.org"))], false)), PERMALINK);
    expect(report).toContain("Checksum database: verification off (SUMDB=off); no hash here is verified.");
    expect(report).toContain(`\`${ZIP_H1}\` (not verified)`);
  });
});

describe("goEnvCommand", () => {
  it("quotes the value, so a | list is no shell pipe", () => {
    expect(goEnvCommand("https://goproxy.cn,direct")).toBe('go env -w GOPROXY="https://goproxy.cn,direct"');
  });
});
