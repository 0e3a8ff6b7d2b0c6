"use client";

import { useT } from "@/lib/i18n";

/** What a section needs to load the next pages of the timeline on demand (see ModuleView). */
export type MorePages = {
  /** Another page exists. */
  hasMore: boolean;
  /** A page is being fetched. */
  loading: boolean;
  error: string | null;
  next(): void;
  all(): void;
};

/** The buttons under a paged section: one more page, or everything. */
export function LoadMore({ more, nextLabel, allLabel, testId }: { more: MorePages; nextLabel: string; allLabel?: string; testId: string }) {
  const t = useT();
  if (!more.hasMore) return null;
  return (
    <p className="load-more" data-testid={testId}>
      <button type="button" className="secondary" onClick={more.next} disabled={more.loading} aria-busy={more.loading}>
        {more.loading ? t("module.loadingMore") : nextLabel}
      </button>
      {allLabel ? (
        <button type="button" className="secondary" onClick={more.all} disabled={more.loading}>
          {allLabel}
        </button>
      ) : null}
      {more.error ? (
        <span className="field-error small" role="alert">
          {t("module.loadFailed", { message: more.error })}
        </span>
      ) : null}
    </p>
  );
}
