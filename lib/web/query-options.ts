import { queryOptions } from "@tanstack/react-query";
import type { TimelineDto } from "@/lib/timeline";

/** Every query key of the app lives here, so invalidation after a check cannot miss one. */
export const queryKeys = {
  timeline: (module: string, at: number | null) => ["timeline", module, at] as const,
  timelineLive: (module: string) => ["timeline", module, null] as const,
  suggestions: (text: string) => ["suggestions", text] as const,
};

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}

export function timelineQuery(module: string, at: number | null) {
  return queryOptions({
    queryKey: queryKeys.timeline(module, at),
    queryFn: () => fetchJson<TimelineDto>(`/api/modules/${module}${at ? `?at=${at}` : ""}`),
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
