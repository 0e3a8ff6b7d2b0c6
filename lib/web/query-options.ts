import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { TimelineDto } from "@/lib/timeline";

/** Every query key of the app lives here, so invalidation after a check cannot miss one. */
export const queryKeys = {
  timeline: (module: string, at: number | null, version: string | null) => ["timeline", module, at, version] as const,
  /** Prefix of every live (not permalinked) timeline query of a module, whatever its version. */
  timelineLive: (module: string) => ["timeline", module, null] as const,
  suggestions: (text: string) => ["suggestions", text] as const,
  resolution: (id: number, lang: string) => ["resolution", id, lang] as const,
};

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

/** Which page to ask for: later pages are pinned to the first page's check, so they belong to the same timeline. */
export type TimelinePageParam = { page: number; at: number | null };

export function timelineUrl(module: string, param: TimelinePageParam, version: string | null): string {
  const search = new URLSearchParams();
  if (param.at) search.set("at", String(param.at));
  if (version) search.set("version", version);
  else if (param.page > 1) search.set("page", String(param.page));
  const query = search.toString();
  return `/api/modules/${module}${query ? `?${query}` : ""}`;
}

/** A module's timeline page by page (a version's fits one page); the UI asks for the next page on demand. */
export function timelinePagesQuery(module: string, at: number | null, version: string | null) {
  return infiniteQueryOptions({
    queryKey: queryKeys.timeline(module, at, version),
    queryFn: ({ pageParam }) => fetchJson<TimelineDto>(timelineUrl(module, pageParam, version)),
    initialPageParam: { page: 1, at } as TimelinePageParam,
    getNextPageParam: (last): TimelinePageParam | undefined =>
      last.page.number < last.page.of ? { page: last.page.number + 1, at: last.asOf.checkId } : undefined,
    // A permalink's data never changes.
    staleTime: at ? Number.POSITIVE_INFINITY : 30_000,
  });
}

export type SuggestionsDto = { modules: string[] };

/** Known modules containing the typed text, for the search box's listbox. */
export function suggestionsQuery(text: string) {
  return queryOptions({
    queryKey: queryKeys.suggestions(text),
    queryFn: () => fetchJson<SuggestionsDto>(`/api/suggest?q=${encodeURIComponent(text)}`),
    staleTime: 60_000,
  });
}

/** How often a running resolution's page asks for its progress. */
export const RESOLUTION_POLL_MS = 1000;

/**
 * A go.mod resolution (GET /api/resolutions/<id>), its sentences in `lang`, polled while it runs; a finished one
 * never changes. Generic over the DTO because its type lives server-side (lib/resolve); the page names it.
 */
export function resolutionQuery<T extends { status: "running" | "done" | "interrupted" }>(id: number, lang: string) {
  return queryOptions({
    queryKey: queryKeys.resolution(id, lang),
    queryFn: () => fetchJson<{ resolution: T }>(`/api/resolutions/${id}?lang=${encodeURIComponent(lang)}`),
    refetchInterval: (query) => (query.state.data?.resolution.status === "running" ? RESOLUTION_POLL_MS : false),
    staleTime: (query) => (query.state.data?.resolution.status === "running" ? 0 : Number.POSITIVE_INFINITY),
  });
}
