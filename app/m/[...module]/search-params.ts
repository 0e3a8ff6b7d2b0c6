import { joinPathSegments, parseAtParam, parseFetchParam, parseModuleQuery, parseProbeParam } from "@/lib/web";

/**
 * The module page's URL state, shared by server and client: /m/<module>[@<version>|@latest][?at=<checkId>] and, on
 * a version page (the doctor), ?probe=<id> (a stored probe), ?mirror=<name or base URL> (the row to point at),
 * ?fetch=0 (probe passively), ?run=1 (start a probe on open: the search box asks for one). `version` is "latest"
 * for /m/<module>@latest: the doctor resolves it.
 */
export type ModulePageState = {
  module: string;
  version: string | null;
  at: number | null;
  probe: number | null;
  mirror: string | null;
  fetch: boolean;
  run: boolean;
  lang: string | null;
};

type SearchParams = Record<string, string | string[] | undefined>;

function first(searchParams: SearchParams, key: string): string | undefined {
  const value = searchParams[key];
  return Array.isArray(value) ? value[0] : value;
}

export function parseModulePageUrl(segments: string[], searchParams: SearchParams): { ok: true; state: ModulePageState } | { ok: false; error: string; raw: string } {
  const joined = joinPathSegments(segments);
  if (!joined.ok) return { ok: false, error: joined.error, raw: segments.join("/") };
  // "latest" is a query the go command accepts (go get M@latest), not a version: validate the path alone.
  const latest = joined.path.endsWith("@latest");
  const query = parseModuleQuery(latest ? joined.path.slice(0, -"@latest".length) : joined.path);
  if (!query.ok) return { ok: false, error: query.error, raw: joined.path };
  if (latest && query.query.version !== null) return { ok: false, error: `invalid version "${joined.path.slice(joined.path.indexOf("@") + 1)}": expected a semantic version such as v1.2.3`, raw: joined.path };
  const at = parseAtParam(first(searchParams, "at"));
  if (!at.ok) return { ok: false, error: at.error, raw: joined.path };
  const probe = parseProbeParam(first(searchParams, "probe"));
  if (!probe.ok) return { ok: false, error: probe.error, raw: joined.path };
  const fetch = parseFetchParam(first(searchParams, "fetch"));
  if (!fetch.ok) return { ok: false, error: fetch.error, raw: joined.path };
  const mirror = first(searchParams, "mirror")?.trim().slice(0, 300) || null;
  return {
    ok: true,
    state: {
      module: query.query.module,
      version: latest ? "latest" : query.query.version,
      at: at.at ?? null,
      probe: probe.probe,
      mirror,
      fetch: fetch.fetch,
      run: first(searchParams, "run") === "1",
      lang: first(searchParams, "lang") ?? null,
    },
  };
}
