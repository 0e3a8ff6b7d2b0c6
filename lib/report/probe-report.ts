import type { ProbeDto, ProbeStep } from "@/lib/doctor";
import { formatUtc } from "@/lib/web";
import { fencedLines, markdownText } from "./markdown-text";

const cell = markdownText;

/**
 * The command that sets a GOPROXY value for good. Double quotes: a `|` list would otherwise be a shell pipe, and
 * double quotes read the same in sh, PowerShell and cmd.
 */
export function goEnvCommand(goproxy: string): string {
  return `go env -w GOPROXY="${goproxy}"`;
}

/**
 * What the go command prints with GOPROXY set to this mirror alone (the doctor predicts that chain among the
 * others), or null when it would succeed there.
 */
export function goErrorThrough(probe: ProbeDto, mirror: string): string | null {
  const baseUrl = probe.mirrors[mirror]?.baseUrl;
  return probe.goproxy.chains.find((c) => c.goproxy === baseUrl)?.error ?? null;
}

/** The GOPROXY values that answer "what does my setting do": each mirror alone and with ,direct, plus the advised one. */
export function primaryChains(probe: ProbeDto): ProbeDto["goproxy"]["chains"] {
  const single = new Set(Object.values(probe.mirrors).flatMap((m) => [m.baseUrl, `${m.baseUrl},direct`]));
  return probe.goproxy.chains.filter((c) => single.has(c.goproxy) || c.goproxy === probe.goproxy.advice.goproxy);
}

/** The go command's error up to its first blank line (SECURITY ERROR's boilerplate follows one). */
export function errorHead(text: string): string {
  const cut = text.indexOf("\n\n");
  return cut < 0 ? text : text.slice(0, cut);
}

function stepText(step: ProbeStep): string {
  if (step.outcome === "skipped") return "not asked";
  const answer = step.status !== null ? String(step.status) : (step.reason ?? step.outcome).replace("_", " ");
  const text = step.latencyMs === null ? answer : `${answer}, ${step.latencyMs} ms`;
  return step.finalUrl ? `${text}, redirected to ${step.finalUrl}` : text;
}

function h1Text(h1: string | null, recorded: string | null, verifiedBy: string | null): string {
  if (!h1) return "—";
  if (!verifiedBy || !recorded) return `\`${h1}\` (not verified)`;
  return h1 === recorded ? `\`${h1}\` (matches ${verifiedBy})` : `\`${h1}\` (DIFFERS from ${verifiedBy}: \`${recorded}\`)`;
}

function sumdbText(probe: ProbeDto): string {
  const db = probe.sumdb;
  const name = db.name ?? "the checksum database";
  if (!db.enabled) return "Checksum database: verification off (SUMDB=off); no hash here is verified.";
  if (!db.verified) return `Checksum database: nothing verified against ${name}${db.message ? `: ${markdownText(db.message)}` : "."}`;
  const source = db.source === "direct" || db.source === null ? "read directly" : `read through ${db.source}'s proxy`;
  return `Checksum database: ${name} verified go.mod \`${db.modH1 ?? "—"}\`, zip \`${db.zipH1 ?? "—"}\`, tree size ${db.treeSize ?? "—"} (${source}).`;
}

/**
 * A bug-report snippet of one probe: each mirror's verdict and the doctor's sentence, the evidence (answers, hashes
 * against the checksum database, what the go command prints), the GOPROXY advice and the permalink. English on
 * purpose, like the module report: it is pasted into issue trackers, so pass a probe whose texts are English.
 */
export function probeMarkdownReport(probe: ProbeDto, permalink: string): string {
  const subject = `${probe.module}@${probe.version}`;
  const mode = probe.fetch ? "fetching (like go get)" : "passive (Disable-Module-Fetch: true)";
  const verifiedBy = probe.sumdb.enabled && probe.sumdb.verified ? probe.sumdb.name : null;
  const lines: string[] = [];
  lines.push(`**${subject}** on Go module mirrors: mirrorlag probe #${probe.id}, ${formatUtc(probe.at)}, ${mode}`);
  if (probe.requested === "latest") lines.push("", `Requested \`${probe.module}@latest\`, which resolved to ${probe.version} on ${probe.reference}.`);
  lines.push("", "| mirror | verdict | diagnosis |", "|---|---|---|");
  for (const name of probe.mirrorOrder) {
    const m = probe.mirrors[name];
    if (m) lines.push(`| ${cell(name)}${m.isReference ? " (reference)" : ""} | ${m.verdict.replace("_", " ")} | ${cell(m.diagnosis.text)} |`);
  }
  lines.push("", "| mirror | .info | .mod | .zip | checksum db proxy | go.mod h1 | zip h1 |", "|---|---|---|---|---|---|---|");
  for (const name of probe.mirrorOrder) {
    const m = probe.mirrors[name];
    if (!m) continue;
    const sumdb = m.sumdb.supported.outcome === "not_found" ? "not proxied" : m.sumdb.verified ? `verified, ${stepText(m.sumdb)}` : stepText(m.sumdb);
    lines.push(
      `| ${cell(name)} | ${stepText(m.info)} | ${stepText(m.mod)} | ${stepText(m.zip)} | ${cell(sumdb)} | ${cell(h1Text(m.mod.h1, probe.sumdb.modH1, verifiedBy))} | ${cell(h1Text(m.zip.h1, probe.sumdb.zipH1, verifiedBy))} |`,
    );
  }
  lines.push("", sumdbText(probe));
  const failing = probe.mirrorOrder.map((name) => ({ name, text: goErrorThrough(probe, name) })).filter((f): f is { name: string; text: string } => f.text !== null);
  if (failing.length > 0) {
    lines.push("", "What the go command prints through each failing mirror:");
    for (const f of failing) lines.push("", `- ${f.name}:`, "", ...fencedLines(f.text, "  "));
  }
  const { advice, chains } = probe.goproxy;
  lines.push("", `GOPROXY advice: \`${advice.goproxy}\`: ${advice.reason}`, "", "```sh", goEnvCommand(advice.goproxy), "```");
  if (chains.length > 0) {
    const working = chains.filter((c) => c.result === "ok").length;
    // First lines only: each mirror's whole text is above, every other value on the permalink.
    lines.push("", `Predicted for each mirror alone (${working} of ${chains.length} GOPROXY values work; all of them on the permalink):`, "");
    lines.push("| GOPROXY | predicted | served by |", "|---|---|---|");
    for (const c of primaryChains(probe)) lines.push(`| \`${c.goproxy.replace(/\|/g, "\\|")}\` | ${c.result.replace("_", " ")}${c.error ? `: ${cell(c.error.split("\n")[0] ?? "")}` : ""} | ${c.servedBy ?? "—"} |`);
  }
  lines.push("", `Evidence: ${permalink}`);
  return lines.join("\n");
}
