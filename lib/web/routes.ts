/** URLs of the app's pages, built in one place so links and permalinks never disagree. */
export function modulePageHref(module: string, version?: string | null, at?: number | null): string {
  // Module paths only use URL-safe ASCII, so they go in the path as they are (uppercase included).
  const base = `/m/${module}${version ? `@${version}` : ""}`;
  return at ? `${base}?at=${at}` : base;
}

/** What the version page's URL may carry besides the path: which probe, which mirror to point at, how to probe. */
export type VersionPageOptions = {
  probe?: number | null;
  /** A mirror name or the base URL the user's error named; highlights that mirror's row. */
  mirror?: string | null;
  /** true: the page's own probe is passive (Disable-Module-Fetch: true). */
  passive?: boolean;
  /** Kept from the URL the page was opened with, so a shared link stays in the language it asked for. */
  lang?: string | null;
  /** Start a probe when the page opens (what the search box asks for); a plain link only shows what is stored. */
  run?: boolean;
};

/** The version page (the doctor), live (`version` may be "latest") or as a stored probe. */
export function versionPageHref(module: string, version: string, options: VersionPageOptions = {}): string {
  return withSearchParams(modulePageHref(module, version), options);
}

/** Adds the version page's options to an href that may already carry a query (a probe permalink does). */
export function withSearchParams(href: string, options: VersionPageOptions): string {
  const [path = "", query = ""] = href.split("?", 2);
  const search = new URLSearchParams(query);
  if (options.probe) search.set("probe", String(options.probe));
  if (options.mirror) search.set("mirror", options.mirror);
  if (options.passive) search.set("fetch", "0");
  if (options.lang) search.set("lang", options.lang);
  if (options.run) search.set("run", "1");
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** What /resolve's URL carries: which resolution, its filters, and a language asked for explicitly. */
export type ResolvePageOptions = {
  /** Only requirements some mirror does not serve (?failing=1). */
  failing?: boolean;
  /** Only requirements the go.mod requires directly, without `// indirect` (?direct=1). */
  direct?: boolean;
  lang?: string | null;
};

/** /resolve (the form) or /resolve?id=<id> (a resolution's permalink), with its filters. */
export function resolvePageHref(id: number | null, options: ResolvePageOptions = {}): string {
  const search = new URLSearchParams();
  if (id !== null) search.set("id", String(id));
  if (options.failing) search.set("failing", "1");
  if (options.direct) search.set("direct", "1");
  if (options.lang) search.set("lang", options.lang);
  const text = search.toString();
  return text ? `/resolve?${text}` : "/resolve";
}
