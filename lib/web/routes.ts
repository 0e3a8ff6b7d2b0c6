/** URLs of the app's pages, built in one place so links and permalinks never disagree. */
export function modulePageHref(module: string, version?: string | null, at?: number | null): string {
  // Module paths only use URL-safe ASCII, so they go in the path as they are (uppercase included).
  const base = `/m/${module}${version ? `@${version}` : ""}`;
  return at ? `${base}?at=${at}` : base;
}
