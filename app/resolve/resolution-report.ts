// "Copy as Markdown" of a resolution: a bug-report snippet. English on purpose, like the probe report: it is pasted
// into issue trackers, so pass a resolution whose sentences are English.
import type { GoSumAgreement, RequirementDto, ResolutionDto } from "@/lib/resolve";
import { goEnvCommand, markdownText } from "@/lib/report";
import { formatUtc } from "@/lib/web";
import { cellFails, isFailing, replacementText, sortRequirements, unresolvableReason } from "./resolution-rows";

const cell = markdownText;

const words = (code: string) => code.replace(/_/g, " ");

function subject(r: RequirementDto): string {
  const marks = [r.indirect ? "indirect" : null, r.replacedBy ? `replaced by ${replacementText(r)}` : null, r.excluded ? "excluded" : null].filter(Boolean);
  return `\`${r.module}@${r.version}\`${marks.length > 0 ? ` (${marks.join("; ")})` : ""}`;
}

function gosumText(file: string, agreement: GoSumAgreement): string | null {
  if (agreement === "mismatch") return `go.sum ${file} line DIFFERS from what it serves`;
  if (agreement === "absent") return `no go.sum ${file} line`;
  return null;
}

/** The commands that keep private modules away from mirrors and the checksum database, one pattern list. */
export function goprivateCommand(resolution: ResolutionDto): string | null {
  const patterns = [...new Set(resolution.unresolvable.flatMap((u) => (u.goprivate ? [u.goprivate] : [])))];
  return patterns.length === 0 ? null : `go env -w GOPRIVATE="${patterns.join(",")}"`;
}

/** The GOPROXY line for a CI job's shell, where `go env -w` would write into a throwaway home directory. */
export function exportCommand(goproxy: string): string {
  return `export GOPROXY="${goproxy}"`;
}

/** `origin` makes the permalinks absolute (http://host:port), so the snippet works outside this site. */
export function resolutionMarkdownReport(resolution: ResolutionDto, origin: string): string {
  const mirrors = Object.keys(resolution.mirrors);
  const mode = resolution.zips ? ".info, .mod and .zip" : ".info and .mod, no zips";
  const progress = resolution.status === "done" ? `${resolution.done} of ${resolution.total} requirements` : `${resolution.status}: ${resolution.done} of ${resolution.total} requirements so far`;
  const lines: string[] = [];
  lines.push(`**go.mod resolution #${resolution.id}** on Go module mirrors: mirrorlag, ${formatUtc(resolution.createdAt)}, ${progress} (${mode})`);
  lines.push("", `Permalink: ${origin}${resolution.permalink}`);
  const { advice } = resolution;
  if (advice.goproxy) lines.push("", `GOPROXY advice: \`${advice.goproxy}\`: ${advice.reason}`, "", "```sh", goEnvCommand(advice.goproxy), "```");
  else lines.push("", `GOPROXY advice: none. ${advice.reason}`);

  const chains = resolution.chains ?? [];
  if (chains.length > 0) {
    const working = chains.filter((c) => c.result === "ok").map((c) => `\`${c.goproxy}\``);
    lines.push("", `GOPROXY values that work for the whole go.mod: ${working.length} of ${chains.length}${working.length > 0 ? ` (${working.slice(0, 5).join(", ")}${working.length > 5 ? ", …" : ""})` : ""}; all of them on the permalink.`);
  }

  lines.push("", "| mirror | resolves | fails | not yet there |", "|---|---|---|---|");
  for (const name of mirrors) {
    const total = resolution.mirrors[name];
    if (total) lines.push(`| ${cell(name)} | ${total.resolves} | ${total.fails} | ${total.missing} |`);
  }

  const failing = sortRequirements(resolution.requirements.filter(isFailing));
  if (failing.length === 0) {
    lines.push("", resolution.status === "running" ? "No failing requirement so far." : "No failing requirement.");
  } else {
    lines.push("", `Failing requirements (${failing.length} of ${resolution.total}):`);
    for (const r of failing) {
      lines.push("", `- ${subject(r)}${r.permalink ? `: ${origin}${r.permalink}` : ""}`);
      if (r.gosumVsChecksumDb === "mismatch") lines.push("  - go.sum contradicts the checksum database");
      for (const name of mirrors) {
        const m = r.mirrors[name];
        if (!m) continue;
        const sums = [gosumText("/go.mod", m.gosum.gomod), gosumText("zip", m.gosum.zip)].filter((s): s is string => s !== null);
        const mark = cellFails(m) ? "✗" : "✓";
        lines.push(`  - ${mark} ${name}: ${words(m.verdict)}, ${words(m.diagnosis.code)}: ${cell(m.diagnosis.text)}${sums.length > 0 ? ` (${sums.join("; ")})` : ""}`);
      }
    }
  }

  if (resolution.unresolvable.length > 0) {
    lines.push("", "No configured GOPROXY serves:");
    for (const u of resolution.unresolvable) {
      const reason = unresolvableReason(resolution, u);
      const why = reason === "excluded" ? "the go.mod excludes this version and also requires it" : reason === "gosum" ? "its go.sum line contradicts every mirror" : words(u.code ?? "");
      lines.push(`- \`${u.module}@${u.version}\`: ${why}${u.goprivate ? `; if it is private, GOPRIVATE=${u.goprivate}` : ""}`);
    }
    const goprivate = goprivateCommand(resolution);
    if (goprivate) lines.push("", "```sh", goprivate, "```");
  }

  const notFetched = resolution.requirements.filter((r) => r.state === "local" || r.state === "excluded");
  if (notFetched.length > 0) lines.push("", `Not fetched: ${notFetched.map(subject).join(", ")}.`);
  return lines.join("\n");
}
