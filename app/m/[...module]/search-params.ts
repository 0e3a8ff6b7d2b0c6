import { joinPathSegments, parseAtParam, parseModuleQuery } from "@/lib/web";
import type { ModuleQuery } from "@/lib/web";

/** The module page's URL state: /m/<module>[@<version>][?at=<checkId>]. Shared by server and client. */
export type ModulePageState = ModuleQuery & { at: number | null };

export function parseModulePageUrl(
  segments: string[],
  searchParams: Record<string, string | string[] | undefined>,
): { ok: true; state: ModulePageState } | { ok: false; error: string; raw: string } {
  const joined = joinPathSegments(segments);
  if (!joined.ok) return { ok: false, error: joined.error, raw: segments.join("/") };
  const query = parseModuleQuery(joined.path);
  if (!query.ok) return { ok: false, error: query.error, raw: joined.path };
  const rawAt = searchParams.at;
  const at = parseAtParam(Array.isArray(rawAt) ? rawAt[0] : rawAt);
  if (!at.ok) return { ok: false, error: at.error, raw: joined.path };
  return { ok: true, state: { ...query.query, at: at.at ?? null } };
}
