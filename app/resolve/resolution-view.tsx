"use client";

import { useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useLocale, useT } from "@/lib/i18n";
import type { ResolutionDto } from "@/lib/resolve";
import { formatUtc, resolvePageHref } from "@/lib/web";
import { resolutionQuery } from "@/lib/web/react";
import { CopyButton } from "../m/[...module]/copy-button";
import { ResolutionMatrix } from "./resolution-matrix";
import { resolutionMarkdownReport } from "./resolution-report";
import { hasGoSum, matrixRows } from "./resolution-rows";
import type { RowFilters } from "./resolution-rows";
import { ResolutionAdvice, ResolutionProgress, ResolutionTotals } from "./resolution-summary";

type Props = {
  /** The server's first paint, in the page's language. */
  initial: ResolutionDto;
  /** The same resolution with English sentences for the Markdown report, when the page is not English and it has finished. */
  initialReport: ResolutionDto | null;
  /** ?failing= and ?direct= as the server parsed them from the URL. */
  initialFilters: RowFilters;
  /** ?lang= when the URL asked for a language: kept in the links this page makes. */
  lang: string | null;
};

/**
 * A resolution's permalink: rendered from the server's copy, then polled while it runs (the page never waits for
 * it). The filters live in the URL (?failing=1&direct=1), so a filtered view is the link to share.
 */
export function ResolutionView({ initial, initialReport, initialFilters, lang }: Props) {
  const t = useT();
  const locale = useLocale();
  // The checkboxes answer from local state and the URL follows; the server's render of the URL seeds them.
  const [filters, setFilters] = useState<RowFilters>(initialFilters);

  const query = useQuery({ ...resolutionQuery<ResolutionDto>(initial.id, locale), initialData: { resolution: initial } });
  const resolution = query.data.resolution;
  // The report is English like the version page's (pasted into issue trackers): read once the resolution has finished.
  const report = useQuery({
    ...resolutionQuery<ResolutionDto>(initial.id, "en"),
    enabled: locale !== "en" && resolution.status !== "running",
    initialData: initialReport ? { resolution: initialReport } : undefined,
  });
  const reportResolution = locale === "en" ? resolution : (report.data?.resolution ?? null);

  const mirrors = Object.keys(resolution.mirrors);
  const rows = matrixRows(resolution, filters);
  const showGoSum = hasGoSum(resolution);
  const shareHref = resolvePageHref(resolution.id, filters);

  const setFilter = (key: keyof RowFilters, value: boolean) => {
    const next = { ...filters, [key]: value };
    setFilters(next);
    // The native history API: no server round trip, and Next's router keeps the URL it is given.
    window.history.replaceState(null, "", resolvePageHref(resolution.id, { ...next, lang }));
  };

  return (
    <article className="resolve-page" data-testid="resolution" data-resolution-id={resolution.id} data-status={resolution.status}>
      <header className="module-header">
        <div className="resolve-title">
          <h1>
            {t("resolve.resultTitle", { id: resolution.id })}{" "}
            <span className={`state-badge status-${resolution.status}`} data-testid="resolve-status">
              {t(`resolve.status.${resolution.status}`)}
            </span>
          </h1>
          <p className="muted small" data-testid="resolve-meta">
            {t("resolve.meta", { time: formatUtc(resolution.createdAt), count: resolution.total, mode: t(resolution.zips ? "resolve.modeZips" : "resolve.modeNoZips") })}
          </p>
        </div>
        <div className="actions">
          <CopyButton label={t("module.copyPermalink")} text={() => `${window.location.origin}${shareHref}`} testId="copy-resolve-permalink" />
          {reportResolution ? (
            <CopyButton label={t("module.copyMarkdown")} text={() => resolutionMarkdownReport(reportResolution, window.location.origin)} testId="copy-resolve-markdown" />
          ) : null}
          <Link href={resolvePageHref(null, { lang: lang })} className="button secondary">
            {t("resolve.another")}
          </Link>
        </div>
      </header>

      <ResolutionProgress done={resolution.done} total={resolution.total} />
      <div role="status" aria-live="polite" className="resolve-status">
        {resolution.status === "running" ? <p className="muted small">{t("resolve.runningNote")}</p> : null}
        {query.isRefetchError ? <p className="small warn">{t("resolve.pollFailed", { message: query.error.message })}</p> : null}
      </div>
      {resolution.status === "interrupted" ? (
        <p className="banner" data-testid="resolve-interrupted">
          {t("resolve.interruptedNote")}
        </p>
      ) : null}

      <ResolutionAdvice resolution={resolution} />
      <ResolutionTotals resolution={resolution} />

      <section aria-labelledby="matrix-title" className="doctor-block">
        <div className="matrix-head">
          <h2 id="matrix-title">{t("resolve.matrix.title")}</h2>
          <div className="resolve-filters" role="group" aria-label={t("resolve.matrix.title")}>
            <label className="fetch-toggle small">
              <input type="checkbox" checked={filters.failing} onChange={(event) => setFilter("failing", event.target.checked)} data-testid="filter-failing" />
              {t("resolve.filter.failing")}
            </label>
            <label className="fetch-toggle small">
              <input type="checkbox" checked={filters.direct} onChange={(event) => setFilter("direct", event.target.checked)} data-testid="filter-direct" />
              {t("resolve.filter.direct")}
            </label>
          </div>
        </div>
        <p className="muted small">{t("resolve.matrix.help")}</p>
        <p className="small" data-testid="rows-shown">
          {t("resolve.filter.shown", { shown: rows.length, total: resolution.requirements.length })}
        </p>
        {rows.length === 0 && resolution.requirements.length > 0 ? <p className="muted">{t("resolve.filter.none")}</p> : null}
        <ResolutionMatrix rows={rows} mirrors={mirrors} showGoSum={showGoSum} lang={lang} />
      </section>
    </article>
  );
}
