/**
 * /resolve's URL state, shared by server and client: ?id=<resolution> (absent: the form), ?failing=1 and ?direct=1
 * (the matrix filters, so a filtered view is shareable) and ?lang=. The URL is the permalink.
 */
export type ResolvePageState = {
  id: number | null;
  failing: boolean;
  direct: boolean;
  lang: string | null;
};

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

function first(searchParams: SearchParams, key: string): string | undefined {
  if (searchParams instanceof URLSearchParams) return searchParams.get(key) ?? undefined;
  const value = searchParams[key];
  return Array.isArray(value) ? value[0] : value;
}

export function parseResolvePageUrl(searchParams: SearchParams): { ok: true; state: ResolvePageState } | { ok: false; raw: string } {
  const raw = first(searchParams, "id");
  let id: number | null = null;
  if (raw !== undefined && raw !== "") {
    if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) return { ok: false, raw: raw.slice(0, 40) };
    id = Number(raw);
  }
  return {
    ok: true,
    state: { id, failing: first(searchParams, "failing") === "1", direct: first(searchParams, "direct") === "1", lang: first(searchParams, "lang") ?? null },
  };
}
