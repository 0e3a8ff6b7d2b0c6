"use client";

import Link from "next/link";
import { useT } from "@/lib/i18n";
import { markdownReport } from "@/lib/report";
import { moduleState } from "@/lib/timeline";
import type { TimelineDto } from "@/lib/timeline";
import { formatUtc, modulePageHref } from "@/lib/web";
import { CheckNowButton } from "./check-now-button";
import { CopyButton } from "./copy-button";
import { DeleteModuleButton } from "./delete-module-button";
import { WatchToggle } from "./watch-toggle";

type Props = {
  module: string;
  version: string | null;
  at: number | null;
  /** For the header's words; the Markdown report reads the whole DTO when copied. */
  timeline: TimelineDto;
  newest: { checkId: number; at: string };
  watched: boolean;
  operator: boolean;
  versionCount: number;
  onCheckPending: (pending: boolean) => void;
  /** The doctor below has its own probe, permalink and report buttons: the header keeps only Watch. */
  doctorLeads?: boolean;
};

/** The module in one line: its state, as of which check, the actions, and the banners that explain the page. */
export function ModuleHeader({ module, version, at, timeline, newest, watched, operator, versionCount, onCheckPending, doctorLeads = false }: Props) {
  const t = useT();
  const permalinkPath = modulePageHref(module, version, timeline.asOf.checkId);
  const permalink = () => `${window.location.origin}${permalinkPath}`;
  const isStale = at !== null && newest.checkId !== timeline.asOf.checkId;
  const state = moduleState(timeline.summaries);
  const notFoundMirrors = timeline.summaries.filter((s) => s.outcome === "not_found").map((s) => s.name);
  return (
    <>
      {isStale ? (
        <p className="banner" role="status" data-testid="stale-banner">
          {t("module.asOf", { time: formatUtc(timeline.asOf.at), id: timeline.asOf.checkId })}{" "}
          <Link href={modulePageHref(module, version)}>{t("module.asOfLive")}</Link>
        </p>
      ) : null}
      <header className="module-header">
        <div>
          <h1>
            {module}
            {version ? <span className="muted">@{version}</span> : null}
          </h1>
          <p className="muted small">
            {timeline.compacted ? null : (
              <span className={`state-badge state-${state}`} data-testid="module-state">
                {t(`state.${state}`)}
              </span>
            )}{" "}
            {t("module.asOfLabel", { time: formatUtc(timeline.asOf.at), id: timeline.asOf.checkId })} ·{" "}
            {version ? <Link href={modulePageHref(module)}>{t("module.allVersions", { module })}</Link> : <span>{t("module.versionCount", { count: versionCount })}</span>}
          </p>
        </div>
        <div className="actions">
          {doctorLeads ? null : (
            <>
              <CheckNowButton module={module} mode={at ? "navigate" : "invalidate"} liveHref={modulePageHref(module, version)} onPendingChange={onCheckPending} />
              <CopyButton label={t("module.copyPermalink")} text={permalink} testId="copy-permalink" />
              <CopyButton label={t("module.copyMarkdown")} text={() => markdownReport(timeline, permalink(), version)} testId="copy-markdown" />
            </>
          )}
          <WatchToggle module={module} initial={watched} operator={operator} />
          {operator && !version ? <DeleteModuleButton module={module} /> : null}
        </div>
      </header>

      {timeline.compacted ? (
        <p className="banner" role="status" data-testid="compacted-banner">
          {t("module.compacted")}
        </p>
      ) : null}
      {state === "not_found" ? (
        <p className="banner banner-bad" role="alert" data-testid="not-found-anywhere">
          {t("module.notFoundAnywhere")}
        </p>
      ) : notFoundMirrors.length > 0 ? (
        <p className="banner" data-testid="not-found-some">
          {t("module.notFoundOn", { mirrors: notFoundMirrors.join(", ") })}
        </p>
      ) : null}
    </>
  );
}
