import type { MirrorSummary } from "./derive-timeline";

export type ModuleState = "in_sync" | "behind" | "not_found" | "error";

/**
 * One word for a module as of a check. "not_found" when no mirror has it; "error" when a mirror could not be
 * read; "behind" when a mirror resolves @latest differently from the reference or misses reference versions.
 */
export function moduleState(summaries: Pick<MirrorSummary, "name" | "isReference" | "outcome" | "latest" | "missingCount">[]): ModuleState {
  if (summaries.length > 0 && summaries.every((s) => s.outcome === "not_found")) return "not_found";
  if (summaries.some((s) => s.outcome === "error" || s.outcome === "not_asked")) return "error";
  const reference = summaries.find((s) => s.isReference);
  if (summaries.some((s) => s.outcome === "not_found" || s.missingCount > 0 || (reference && s.latest !== reference.latest))) return "behind";
  return "in_sync";
}

/** Whether one mirror agrees with the reference as of a check (for the health summary). */
export function mirrorInSync(summary: Pick<MirrorSummary, "outcome" | "latest" | "missingCount">, referenceLatest: string | null): boolean {
  return summary.outcome === "ok" && summary.missingCount === 0 && summary.latest === referenceLatest;
}
