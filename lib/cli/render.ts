// The CLI's plain-text results for stdout: aligned columns a CI log shows as they are, no colours, no box drawing.

import type { RequirementDto, ResolutionDto } from "@/lib/resolve";
import type { DiagnosisCode, Verdict } from "@/lib/doctor";
import { formatDuration } from "./duration";
import type { ResolveOutcome } from "./resolution-outcome";

/** Rows of cells → lines, each column as wide as its widest cell (the last column is not padded). */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd());
}

/** "ok served", "not_found not_yet_on_mirror": the doctor's verdict, then its diagnosis code. */
export function cell(verdict: Verdict, code: DiagnosisCode): string {
  return `${verdict} ${code}`;
}

function requirementLabel(r: RequirementDto): string {
  const label = `${r.module}@${r.version}${r.indirect ? " (indirect)" : ""}`;
  if (r.replacedBy === null) return label;
  return "local" in r.replacedBy ? `${label} => ${r.replacedBy.local}` : `${label} => ${r.replacedBy.path}@${r.replacedBy.version}`;
}

function requirementCells(r: RequirementDto, mirrors: readonly string[]): string[] {
  if (r.state === "local") return mirrors.map(() => "local, not fetched");
  if (r.state === "excluded") return mirrors.map(() => "excluded, not fetched");
  if (r.state === "pending") return mirrors.map(() => "not probed");
  return mirrors.map((name) => {
    const m = r.mirrors[name];
    if (!m) return "-";
    const sums = m.gosum.gomod === "mismatch" || m.gosum.zip === "mismatch" ? ", go.sum mismatch" : "";
    return `${cell(m.verdict, m.diagnosis.code)}${sums}`;
  });
}

const failing = (r: RequirementDto, mirrors: readonly string[]) => r.state === "pending" || (r.state === "probed" && mirrors.some((n) => r.mirrors[n]?.verdict !== "ok"));

/** Requirement × mirror (failures first, then go.mod order), per-mirror totals, the GOPROXY, what nothing serves. */
export function renderResolution(dto: ResolutionDto, mirrors: readonly string[], outcome: ResolveOutcome, permalink: string | null): string {
  const rows = [...dto.requirements].sort((a, b) => Number(failing(b, mirrors)) - Number(failing(a, mirrors)));
  const lines = table([
    ["requirement", ...mirrors],
    ...rows.map((r) => [requirementLabel(r), ...requirementCells(r, mirrors)]),
    ["", ...mirrors.map(() => "")],
    ["resolves", ...mirrors.map((n) => String(dto.mirrors[n]?.resolves ?? 0))],
    ["fails", ...mirrors.map((n) => String(dto.mirrors[n]?.fails ?? 0))],
    ["not there yet", ...mirrors.map((n) => String(dto.mirrors[n]?.missing ?? 0))],
  ]);
  lines.push("");
  lines.push(dto.advice.goproxy === null ? "GOPROXY: none recommended" : `GOPROXY=${dto.advice.goproxy}`);
  lines.push(`  ${dto.advice.reason}`);
  const mismatched = dto.requirements.filter((r) => r.gosumVsChecksumDb === "mismatch");
  if (mismatched.length > 0) {
    lines.push("", `go.sum lines that contradict the checksum database (${mismatched.length}):`);
    for (const r of mismatched) lines.push(`  ${r.module}@${r.version}`);
  }
  if (dto.unresolvable.length > 0) {
    lines.push("", `unresolvable (${dto.unresolvable.length}):`);
    for (const u of dto.unresolvable) lines.push(`  ${u.module}@${u.version}: ${u.code ?? "no diagnosis"}${u.goprivate ? ` (private? GOPRIVATE=${u.goprivate})` : ""}`);
  }
  lines.push("", `result: ${outcome.summary} (exit ${outcome.exitCode})`);
  if (permalink) lines.push(`permalink: ${permalink}`);
  return `${lines.join("\n")}\n`;
}

export type WaitMirror = { verdict: Verdict; diagnosis: { code: DiagnosisCode; text: string } };

export type WaitResult = {
  module: string;
  version: string;
  fetch: boolean;
  /** served: every selected mirror serves it; timeout: the deadline passed first; unreachable: nothing ever answered. */
  result: "served" | "timeout" | "unreachable";
  elapsedMs: number;
  rounds: number;
  mirrors: Record<string, WaitMirror>;
  /** Selected mirrors that do not serve it (yet), in configured order. */
  missing: string[];
};

/** "goproxy.cn ok, proxy.golang.com.cn not yet (not_yet_on_mirror)". */
export function waitStatus(mirrors: Record<string, WaitMirror>): string {
  return Object.entries(mirrors)
    .map(([name, m]) => (m.verdict === "ok" ? `${name} ok` : `${name} not yet (${m.diagnosis.code})`))
    .join(", ");
}

export function renderWait(w: WaitResult, exitCode: number): string {
  const lines = [`${w.module}@${w.version} after ${formatDuration(w.elapsedMs)} (${w.rounds} round${w.rounds === 1 ? "" : "s"})`, ""];
  lines.push(...table([["mirror", "verdict", "diagnosis"], ...Object.entries(w.mirrors).map(([name, m]) => [name, m.verdict, m.diagnosis.code])]));
  const missing = w.missing.map((n) => `${n} (${w.mirrors[n]?.diagnosis.code ?? "?"})`).join(", ");
  lines.push("");
  for (const n of w.missing) {
    const text = w.mirrors[n]?.diagnosis.text;
    if (text) lines.push(`${n}: ${text}`);
  }
  if (w.missing.length > 0) lines.push("");
  const result =
    w.result === "served"
      ? "served by every selected mirror"
      : w.result === "timeout"
        ? `timed out; still missing on ${missing}`
        : "no selected mirror could be reached";
  lines.push(`result: ${result} (exit ${exitCode})`);
  return `${lines.join("\n")}\n`;
}
