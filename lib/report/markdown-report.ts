import { formatLag, formatUtc } from "@/lib/web";
import { moduleState } from "@/lib/timeline";
import type { TimelineDto } from "@/lib/timeline";
import { fencedLines, markdownText } from "./markdown-text";

const STATE_WORD = { in_sync: "in sync", behind: "behind", not_found: "not found", error: "error" } as const;

const cell = markdownText;

/**
 * A bug-report snippet: the mirrors side by side, the permalink that shows the same evidence forever, and the
 * servers' own messages for failing mirrors. English on purpose: it is pasted into issue trackers.
 */
export function markdownReport(timeline: TimelineDto, permalink: string, version?: string | null): string {
  const lines: string[] = [];
  const subject = version ? `${timeline.module}@${version}` : timeline.module;
  lines.push(`**${subject}** on Go module mirrors, as of ${formatUtc(timeline.asOf.at)} (mirrorlag check ${timeline.asOf.checkId})`, "");
  const row = version ? timeline.versions.find((v) => v.version === version) : undefined;
  if (version) {
    lines.push("| mirror | state | first seen | lag vs " + cell(timeline.reference) + " | retracted |", "|---|---|---|---|---|");
    for (const mirror of timeline.mirrors) {
      const c = row?.mirrors[mirror];
      lines.push(
        `| ${cell(mirror)} | ${c ? c.state.replace("_", " ") : "never listed"} | ${c?.firstSeen ? formatUtc(c.firstSeen) : "—"} | ${lagText(c?.lagSeconds ?? null, mirror === timeline.reference)} | ${c?.retracted ? `yes${c.rationale ? `: ${cell(c.rationale)}` : ""}` : "no"} |`,
      );
    }
  } else {
    lines.push(`| mirror | go get @latest | state | lag of newest version vs ${cell(timeline.reference)} |`, "|---|---|---|---|");
    const newest = newestReferenceVersion(timeline);
    for (const summary of timeline.summaries) {
      const state = summary.outcome === "ok" ? (summary.missingCount > 0 ? `missing ${summary.missingCount} version(s)` : "ok") : summary.outcome.replace("_", " ");
      const lag = newest ? newest.mirrors[summary.name]?.lagSeconds ?? null : null;
      lines.push(`| ${cell(summary.name)} | ${summary.latest ?? "—"} | ${state} | ${lagText(lag, summary.isReference)}${newest && !summary.isReference ? ` (${newest.version})` : ""} |`);
    }
    lines.push("", `Overall: ${STATE_WORD[moduleState(timeline.summaries)]}.`);
  }
  const failing = timeline.summaries.filter((s) => s.outcome !== "ok" && s.message);
  if (failing.length > 0) {
    lines.push("", "Server responses:");
    for (const s of failing) {
      lines.push("", `- ${s.name} (${s.status ?? "no HTTP status"}):`, "", ...fencedLines(s.message ?? "", "  "));
    }
  }
  lines.push("", `Evidence: ${permalink}`);
  return lines.join("\n");
}

function lagText(seconds: number | null, isReference: boolean): string {
  if (isReference) return "reference";
  return seconds === null ? "—" : formatLag(seconds);
}

function newestReferenceVersion(timeline: TimelineDto) {
  return timeline.versions.find((v) => v.mirrors[timeline.reference]?.state === "present");
}
