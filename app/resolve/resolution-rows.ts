// Pure derivations of /resolve's matrix and report from a resolution DTO: which rows fail, their order, the filters.
// Client-safe (types only from lib/resolve).
import type { RequirementDto, RequirementMirrorDto, ResolutionDto } from "@/lib/resolve";
import { withSearchParams } from "@/lib/web";

/**
 * The go command would fail through this mirror: the doctor's verdict is not ok, or the bytes it serves contradict
 * the go.sum (go mod download stops with a checksum mismatch even when the mirror itself is right).
 */
export function cellFails(cell: RequirementMirrorDto): boolean {
  return cell.verdict !== "ok" || cell.gosum.gomod === "mismatch" || cell.gosum.zip === "mismatch";
}

/** Some mirror fails it (only probed requirements can fail). */
export function isFailing(r: RequirementDto): boolean {
  return r.state === "probed" && Object.values(r.mirrors).some(cellFails);
}

/** Failing first, then not probed yet, then served everywhere, then what is never fetched (local, excluded). */
function group(r: RequirementDto): number {
  if (isFailing(r)) return 0;
  if (r.state === "pending") return 1;
  if (r.state === "probed") return 2;
  return 3;
}

export function sortRequirements(requirements: readonly RequirementDto[]): RequirementDto[] {
  // Array.prototype.sort is stable: equal module paths keep the go.mod's order.
  return [...requirements].sort((a, b) => group(a) - group(b) || (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
}

export type RowFilters = { failing: boolean; direct: boolean };

export function filterRequirements(requirements: readonly RequirementDto[], filters: RowFilters): RequirementDto[] {
  return requirements.filter((r) => (!filters.failing || isFailing(r)) && (!filters.direct || !r.indirect));
}

/** The rows as the matrix shows them: filtered, failures first. */
export function matrixRows(resolution: ResolutionDto, filters: RowFilters): RequirementDto[] {
  return sortRequirements(filterRequirements(resolution.requirements, filters));
}

/** A go.sum was given: every probed cell then compares its /go.mod line (without one nothing is compared). */
export function hasGoSum(resolution: ResolutionDto): boolean {
  return resolution.requirements.some((r) => Object.values(r.mirrors).some((m) => m.gosum.gomod !== "not_probed"));
}

/** The requirement's version page for its probe, pointing at one mirror's row; null until it is probed. */
export function cellHref(r: RequirementDto, mirror: string, lang: string | null): string | null {
  return r.permalink === null ? null : withSearchParams(r.permalink, { mirror, lang });
}

/** What replaces the requirement, as the go.mod says it: `path@version`, or the local directory. */
export function replacementText(r: RequirementDto): string | null {
  if (r.replacedBy === null) return null;
  return "local" in r.replacedBy ? r.replacedBy.local : `${r.replacedBy.path}@${r.replacedBy.version}`;
}

/**
 * Why nothing resolves an unresolvable requirement: a mirror's diagnosis (its code), or, without one, the go.mod
 * (a required version it excludes) or the go.sum (a line that contradicts every mirror).
 */
export function unresolvableReason(resolution: ResolutionDto, u: ResolutionDto["unresolvable"][number]): "diagnosis" | "excluded" | "gosum" {
  if (u.code !== null) return "diagnosis";
  const r = resolution.requirements.find((x) => x.module === u.module && x.version === u.version);
  return r?.state === "excluded" ? "excluded" : "gosum";
}
