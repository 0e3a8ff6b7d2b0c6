"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useLocale, useT } from "@/lib/i18n";
import type { MessageKey } from "@/lib/i18n";
import { formatLag, formatUtc, formatUtcShort, formatWindow, modulePageHref } from "@/lib/web";
import { timelineQuery } from "@/lib/web/react";
import { isRetracted } from "@/lib/goproxy/browser";
import { markdownReport } from "@/lib/report";
import { moduleState } from "@/lib/timeline";
import type { MirrorSummary, TimelineDto, TimelineEventDto, VersionCellDto } from "@/lib/timeline";
import { CheckNowButton } from "./check-now-button";
import { CopyButton } from "./copy-button";
import { LagChart } from "./lag-chart";
import { TimeText } from "./time-text";
import { WatchToggle } from "./watch-toggle";

type Props = {
  module: string;
  version: string | null;
  at: number | null;
  initial: TimelineDto;
  newest: { checkId: number; at: string };
  watched: boolean;
};

const INITIAL_ROWS = 60;

export function ModuleView({ module, version, at, initial, newest, watched }: Props) {
  const t = useT();
  const [checking, setChecking] = useState(false);
  // The server rendered `initial`; the client owns the data from here and polls while a check runs.
  const { data } = useQuery({ ...timelineQuery(module, at), initialData: initial, refetchInterval: checking && !at ? 1500 : false });
  const timeline = data ?? initial;
  const colour = (mirror: string) => `var(--mirror-${Math.max(0, timeline.mirrors.indexOf(mirror)) % 6})`;
  const permalinkPath = modulePageHref(module, version, timeline.asOf.checkId);
  const permalink = () => `${window.location.origin}${permalinkPath}`;
  const isStale = at !== null && newest.checkId !== timeline.asOf.checkId;
  const state = moduleState(timeline.summaries);
  const notFoundMirrors = timeline.summaries.filter((s) => s.outcome === "not_found").map((s) => s.name);

  return (
    <article className="module-page" data-testid="module-page" data-as-of={timeline.asOf.checkId}>
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
            {version ? <Link href={modulePageHref(module)}>{t("module.allVersions", { module })}</Link> : <span>{t("module.versionCount", { count: timeline.versions.length })}</span>}
          </p>
        </div>
        <div className="actions">
          <CheckNowButton module={module} mode={at ? "navigate" : "invalidate"} liveHref={modulePageHref(module, version)} onPendingChange={setChecking} />
          <CopyButton label={t("module.copyPermalink")} text={permalink} testId="copy-permalink" />
          <CopyButton label={t("module.copyMarkdown")} text={() => markdownReport(timeline, permalink(), version)} testId="copy-markdown" />
          <WatchToggle module={module} initial={watched} />
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

      <SummaryTable timeline={timeline} colour={colour} />
      {version ? <VersionDetail timeline={timeline} version={version} colour={colour} /> : <VersionMatrix timeline={timeline} colour={colour} />}
      <Retractions timeline={timeline} version={version} />
      <Events timeline={timeline} version={version} colour={colour} />
      {version ? null : (
        <section aria-labelledby="chart-title">
          <h2 id="chart-title">{t("module.chart")}</h2>
          <p className="muted small">{t("module.chartHelp", { reference: timeline.reference })}</p>
          <LagChart timeline={timeline} />
        </section>
      )}
      <Evidence timeline={timeline} module={module} version={version} colour={colour} />
    </article>
  );
}

function MirrorName({ name, colour, reference }: { name: string; colour: string; reference?: boolean }) {
  const t = useT();
  return (
    <span className="mirror-name">
      <span className="dot" style={{ background: colour }} aria-hidden="true" />
      {name}
      {reference ? <span className="tag">{t("module.reference")}</span> : null}
    </span>
  );
}

function SummaryTable({ timeline, colour }: { timeline: TimelineDto; colour: (m: string) => string }) {
  const t = useT();
  const reference = timeline.summaries.find((s) => s.isReference);
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">{t("module.summary")}</h2>
      <div className="table-scroll">
        <table className="summary-table" data-testid="summary-table">
          <thead>
            <tr>
              <th>{t("module.mirror")}</th>
              <th>{t("module.latest")}</th>
              <th>{t("module.state")}</th>
              <th>{t("module.lastChecked")}</th>
              <th>{t("module.hash")}</th>
              <th>{t("module.deprecated")}</th>
            </tr>
          </thead>
          <tbody>
            {timeline.summaries.map((s) => {
              const behind = !s.isReference && s.outcome === "ok" && reference && (s.latest !== reference.latest || s.missingCount > 0);
              return (
                <tr key={s.name} data-mirror={s.name}>
                  <td>
                    <MirrorName name={s.name} colour={colour(s.name)} reference={s.isReference} />
                  </td>
                  <td className="mono" data-testid="latest">
                    {s.latest ?? "—"}
                  </td>
                  <td>
                    <OutcomeWord summary={s} behind={Boolean(behind)} />
                  </td>
                  <td>
                    <TimeText iso={timeline.asOf.at} />
                  </td>
                  <td className={s.hashAgreement === "disagree" ? "bad" : ""}>{t(`hash.${s.hashAgreement}`)}</td>
                  <td className="small">{s.deprecated ? <span className="deprecated">{s.deprecated}</span> : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function OutcomeWord({ summary, behind }: { summary: MirrorSummary; behind: boolean }) {
  const t = useT();
  if (summary.outcome === "ok") {
    const word = behind ? t("state.behind") : t("state.in_sync");
    return (
      <span className={behind ? "warn" : "ok"}>
        {word}
        {summary.missingCount > 0 ? ` (−${summary.missingCount})` : ""}
        {summary.message ? <Why message={summary.message} /> : null}
      </span>
    );
  }
  const key: MessageKey = summary.outcome === "not_found" ? "state.not_found" : "state.error";
  return (
    <span className="bad">
      {t(key)}
      {summary.status ? ` (${summary.status})` : ""}
      {summary.message ? <Why message={summary.message} /> : null}
    </span>
  );
}

/** The server's own words, on hover and on expand (touch screens have no hover). */
function Why({ message }: { message: string }) {
  return (
    <details className="why">
      <summary title={message} aria-label={message}>
        ?
      </summary>
      <pre>{message}</pre>
    </details>
  );
}

function VersionMatrix({ timeline, colour }: { timeline: TimelineDto; colour: (m: string) => string }) {
  const t = useT();
  const [showAll, setShowAll] = useState(false);
  const rows = showAll ? timeline.versions : timeline.versions.slice(0, INITIAL_ROWS);
  return (
    <section aria-labelledby="matrix-title">
      <h2 id="matrix-title">{t("module.matrix")}</h2>
      <div className="table-scroll">
        <table className="matrix" data-testid="version-matrix">
          <thead>
            <tr>
              <th>{t("module.version")}</th>
              {timeline.mirrors.map((m) => (
                <th key={m}>
                  <MirrorName name={m} colour={colour(m)} reference={m === timeline.reference} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.version} data-version={row.version}>
                <th scope="row">
                  <Link className="mono" href={modulePageHref(timeline.module, row.version)}>
                    {row.version}
                  </Link>
                  {row.time ? (
                    <div className="muted small" title={formatUtc(row.time)}>
                      {formatUtc(row.time).slice(0, 10)}
                    </div>
                  ) : null}
                </th>
                {timeline.mirrors.map((m) => {
                  const cell = row.mirrors[m];
                  return <td key={m}>{cell ? <Cell cell={cell} mirror={m} timeline={timeline} /> : "—"}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {timeline.versions.length > rows.length ? (
        <button type="button" className="secondary" onClick={() => setShowAll(true)}>
          {t("module.showAll", { count: timeline.versions.length })}
        </button>
      ) : null}
    </section>
  );
}

function Cell({ cell, mirror, timeline }: { cell: VersionCellDto; mirror: string; timeline: TimelineDto }) {
  const t = useT();
  const locale = useLocale();
  const summary = timeline.summaries.find((s) => s.name === mirror);
  const isReference = mirror === timeline.reference;
  const parts: React.ReactNode[] = [];
  if (cell.state === "present") {
    if (cell.lagSeconds !== null && !isReference) {
      parts.push(
        <span key="lag" className={cell.lagSeconds > 0 ? "lag warn" : "lag ok"} data-testid="lag">
          {formatLag(cell.lagSeconds, locale)}
        </span>,
      );
    }
    if (cell.firstSeen && cell.lastMissing) {
      parts.push(
        <span key="window" className="muted small window">
          {t("cell.between", { window: formatWindow(cell.lastMissing, cell.firstSeen) })}
        </span>,
      );
    } else if (cell.firstSeen) {
      parts.push(
        <span key="first" className="muted small" title={formatUtc(cell.firstSeen)}>
          {t("cell.presentAtFirstLook", { time: formatUtcShort(cell.firstSeen) })}
        </span>,
      );
    }
  } else {
    const word = cell.state === "missing" && cell.retracted ? t("cell.hiddenRetracted") : t(`cell.${cell.state}`);
    parts.push(
      <span key="state" className={cell.state === "missing" ? "warn" : "bad"}>
        {word}
        {cell.state !== "missing" && summary?.message ? <Why message={summary.message} /> : null}
      </span>,
    );
  }
  if (cell.retracted) {
    parts.push(
      <span key="retracted" className="badge badge-retracted" title={cell.rationale ?? undefined}>
        {t("cell.retracted")}
        {cell.rationale ? `: ${cell.rationale}` : ""}
      </span>,
    );
  }
  if (cell.removedAt) parts.push(<span key="removed" className="small warn">{t("cell.removed", { time: formatUtcShort(cell.removedAt) })}</span>);
  if (cell.h1Agrees === false) parts.push(<span key="hash" className="badge badge-bad">{t("cell.hashMismatch")}</span>);
  return (
    <div className={`cell cell-${cell.state}`} data-state={cell.state} data-mirror={mirror}>
      {parts}
    </div>
  );
}

function VersionDetail({ timeline, version, colour }: { timeline: TimelineDto; version: string; colour: (m: string) => string }) {
  const t = useT();
  const row = timeline.versions.find((v) => v.version === version);
  return (
    <section aria-labelledby="version-title">
      <h2 id="version-title">{version}</h2>
      {row?.time ? (
        <p className="muted small">
          {t("module.published")}: {formatUtc(row.time)}
        </p>
      ) : null}
      {!row ? (
        <p className="banner" data-testid="version-not-seen">
          {t("module.versionNotSeen", { version })}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="matrix" data-testid="version-detail">
            <tbody>
              {timeline.mirrors.map((m) => {
                const cell = row.mirrors[m];
                return (
                  <tr key={m} data-mirror={m}>
                    <th scope="row">
                      <MirrorName name={m} colour={colour(m)} reference={m === timeline.reference} />
                    </th>
                    <td>{cell ? <Cell cell={cell} mirror={m} timeline={timeline} /> : "—"}</td>
                    <td className="small muted">{cell?.firstSeen ? t("cell.firstSeen", { time: formatUtc(cell.firstSeen) }) : ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Retractions({ timeline, version }: { timeline: TimelineDto; version: string | null }) {
  const t = useT();
  const rows = version ? timeline.retractions.filter((r) => covers(r, version)) : timeline.retractions;
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="retractions-title">
      <h2 id="retractions-title">{t("retractions.title")}</h2>
      <div className="table-scroll">
        <table data-testid="retractions">
          <thead>
            <tr>
              <th>{t("retractions.range")}</th>
              <th>{t("retractions.rationale")}</th>
              {timeline.mirrors.map((m) => (
                <th key={m}>{m}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.low}-${r.high}`}>
                <td className="mono">{r.low === r.high ? r.low : `[${r.low}, ${r.high}]`}</td>
                <td className="small">{r.rationale || "—"}</td>
                {timeline.mirrors.map((m) => {
                  const firstSeen = r.mirrors[m]?.firstSeen;
                  return <td key={m}>{firstSeen ? <TimeText iso={firstSeen} /> : <span className="warn">{t("retractions.notYet")}</span>}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Whether the closed interval [low, high] covers a version, in semver order like the go command. */
function covers(r: { low: string; high: string }, version: string): boolean {
  return isRetracted(version, [{ ...r, rationale: "" }]);
}

function Events({ timeline, version, colour }: { timeline: TimelineDto; version: string | null; colour: (m: string) => string }) {
  const t = useT();
  const locale = useLocale();
  const events = version ? timeline.events.filter((e) => e.version === version || (e.kind === "retraction_reached" && e.low !== undefined && covers({ low: e.low, high: e.high ?? e.low }, version))) : timeline.events;
  const text = (e: TimelineEventDto): string => {
    switch (e.kind) {
      case "version_appeared":
        if (e.lagSeconds === null || e.lagSeconds === undefined || e.mirror === timeline.reference) return t("event.version_appeared", { version: e.version ?? "", mirror: e.mirror });
        if (e.lagSeconds === 0) return t("event.version_appeared_same", { version: e.version ?? "", mirror: e.mirror, reference: timeline.reference });
        return t(e.lagSeconds >= 0 ? "event.version_appeared_lag" : "event.version_appeared_early", {
          version: e.version ?? "",
          mirror: e.mirror,
          lag: formatLag(Math.abs(e.lagSeconds), locale).replace(/^[+±]/, ""),
          reference: timeline.reference,
        });
      case "version_removed":
        return t("event.version_removed", { version: e.version ?? "", mirror: e.mirror });
      case "retraction_reached":
        return t("event.retraction_reached", { range: e.low === e.high ? (e.low ?? "") : `[${e.low}, ${e.high}]`, mirror: e.mirror });
      case "deprecation_reached":
        return t("event.deprecation_reached", { mirror: e.mirror });
    }
  };
  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">{t("module.events")}</h2>
      {events.length === 0 ? (
        <p className="muted">{t("module.noEvents")}</p>
      ) : (
        <ol className="events" data-testid="events">
          {events.slice(0, 200).map((e, i) => (
            <li key={`${e.kind}-${e.mirror}-${e.at}-${i}`} data-kind={e.kind}>
              <span className="dot" style={{ background: colour(e.mirror) }} aria-hidden="true" />
              <span className="event-time muted small">
                <TimeText iso={e.at} />
              </span>
              <span>{text(e)}</span>
              {e.kind === "version_appeared" && e.lastMissing ? (
                <span className="muted small"> ({t("cell.between", { window: formatWindow(e.lastMissing, e.at) })})</span>
              ) : null}
              {e.kind === "deprecation_reached" && e.message ? <span className="muted small"> — {e.message}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Evidence({ timeline, module, version, colour }: { timeline: TimelineDto; module: string; version: string | null; colour: (m: string) => string }) {
  const t = useT();
  return (
    <section aria-labelledby="evidence-title">
      <h2 id="evidence-title">{t("module.evidence", { id: timeline.asOf.checkId })}</h2>
      <p className="muted small">
        {t("module.evidenceHelp")} {formatUtc(timeline.asOf.at)}
      </p>
      <div className="table-scroll">
        <table data-testid="evidence">
          <thead>
            <tr>
              <th>{t("module.mirror")}</th>
              <th>{t("module.state")}</th>
              <th>{t("module.status")}</th>
              <th>{t("module.latency")}</th>
              <th>{t("module.cache")}</th>
              <th>{t("module.requests")}</th>
              <th>{t("module.message")}</th>
            </tr>
          </thead>
          <tbody>
            {timeline.summaries.map((s) => (
              <tr key={s.name} data-mirror={s.name}>
                <td>
                  <MirrorName name={s.name} colour={colour(s.name)} />
                </td>
                <td className={s.outcome === "ok" ? "ok" : "bad"}>{t(`outcome.${s.outcome}`)}</td>
                <td className="mono">{s.status ?? "—"}</td>
                <td className="mono">{s.latencyMs === null ? "—" : `${s.latencyMs} ms`}</td>
                <td className="mono small">
                  {s.cacheControl ?? "—"}
                  {s.age !== null ? ` · Age ${s.age}` : ""}
                </td>
                <td className="small">
                  {s.requests ?? "—"} · {s.passive ? t("module.passive") : t("module.active")}
                </td>
                <td>{s.message ? <pre className="message">{s.message}</pre> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="checks-list">
        <summary>
          {t("module.checks")} ({timeline.checksUpToAsOf})
        </summary>
        <p className="muted small">{t("module.checksHelp")}</p>
        <ol>
          {timeline.checks.map((c) => (
            <li key={c.id}>
              <Link href={modulePageHref(module, version, c.id)}>
                #{c.id} · {formatUtc(c.at)}
              </Link>
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
