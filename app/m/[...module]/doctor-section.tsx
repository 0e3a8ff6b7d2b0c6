"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { probeVersionAction } from "@/app/actions";
import type { ProbeDto } from "@/lib/doctor";
import { useT } from "@/lib/i18n";
import { probeMarkdownReport } from "@/lib/report";
import { formatUtc, mirrorColour, withSearchParams } from "@/lib/web";
import type { MirrorRef } from "@/lib/web";
import { CopyButton } from "./copy-button";
import { DoctorRows } from "./doctor-rows";
import { GoproxyAdvice } from "./goproxy-advice";
import { ProbeHistory } from "./probe-history";
import type { ProbeLink } from "./probe-history";
import { SumdbLine } from "./sumdb-line";

type Props = {
  module: string;
  /** What the URL asked for: a version, or "latest". */
  requested: string;
  /** The stored probe the URL names (?probe=), with diagnoses in the page's language; null on the live page. */
  probe: ProbeDto | null;
  /** The same probe with English texts, for the Markdown report (pasted into issue trackers). */
  reportProbe: ProbeDto | null;
  /** The mirrors a new probe asks (configured now). */
  mirrors: MirrorRef[];
  /** The row to point at (the mirror named by the user's error), resolved to a mirror name. */
  highlight: string | null;
  /** ?mirror= as given: kept across the permalink, and named when it matches no probed mirror. */
  mirrorParam: string | null;
  recent: ProbeLink[];
  /** Start a probe on open (the live page); false on a stored probe, an earlier check, or a version that cannot be probed. */
  autoStart: boolean;
  /** The live page of a version probed before: it did not start a probe, and says why. */
  probedBefore: boolean;
  initialFetch: boolean;
  /** Why this version cannot be probed (the go command's words), or null. */
  problem: string | null;
  lang: string | null;
};

type RunState = { kind: "idle" } | { kind: "failed"; message: string } | { kind: "reused"; id: number };

/** The version doctor: runs a probe (server action), then shows its permalink's verdicts, hashes and GOPROXY advice. */
export function DoctorSection({ module, requested, probe, reportProbe, mirrors, highlight, mirrorParam, recent, autoStart, probedBefore, initialFetch, problem, lang }: Props) {
  const t = useT();
  const router = useRouter();
  const [fetch, setFetch] = useState(probe ? probe.fetch : initialFetch);
  const [run, setRun] = useState<RunState>({ kind: "idle" });
  const [pending, startTransition] = useTransition();
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const elapsed = useElapsedSeconds(pending ? startedAt : null);
  const started = useRef(false);
  // Probe again asks what was asked the first time: "latest" re-resolves, so a stale @latest shows up again.
  const target = probe ? probe.requested : requested;
  const subject = `${module}@${probe ? probe.version : requested}`;

  const start = (navigate: "replace" | "push", mode: boolean) => {
    setRun({ kind: "idle" });
    setStartedAt(Date.now());
    startTransition(async () => {
      let result: Awaited<ReturnType<typeof probeVersionAction>>;
      try {
        result = await probeVersionAction({ module, version: target, fetch: mode });
      } catch (thrown) {
        setRun({ kind: "failed", message: t("doctor.failed", { message: thrown instanceof Error ? thrown.message : String(thrown) }) });
        return;
      }
      if (!result.ok) {
        const message =
          result.code === "rate_limited"
            ? t("doctor.rateLimited", { seconds: result.retryAfterSeconds ?? 60 })
            : result.code === "busy"
              ? t("app.busy", { seconds: result.retryAfterSeconds ?? 10 })
              : t("doctor.failed", { message: result.message });
        setRun({ kind: "failed", message });
        return;
      }
      if (probe && result.data.probeId === probe.id) {
        setRun({ kind: "reused", id: probe.id });
        return;
      }
      const href = withSearchParams(result.data.permalink, { mirror: highlight ?? mirrorParam, lang });
      // Inside the transition, so the progress line stays until the permalink has rendered.
      startTransition(() => (navigate === "replace" ? router.replace(href, { scroll: false }) : router.push(href, { scroll: false })));
    });
  };

  useEffect(() => {
    if (!autoStart || started.current) return;
    // Once per page: React may run effects twice in development, and the server would join the flight anyway.
    started.current = true;
    start("replace", initialFetch);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the probe starts when the live page opens, not when props change
  }, [autoStart]);

  const permalink = () => `${window.location.origin}${probe?.permalink ?? ""}`;
  const colour = (mirror: string) => mirrorColour(Math.max(0, (probe?.mirrorOrder ?? mirrors.map((m) => m.name)).indexOf(mirror)));

  return (
    <section className="doctor" aria-labelledby="doctor-title" data-testid="doctor" data-probe-id={probe?.id ?? ""}>
      <div className="doctor-head">
        <div className="doctor-intro">
          <h2 id="doctor-title">{t("doctor.title")}</h2>
          <p className="muted small">{t("doctor.help", { subject })}</p>
          {probe ? (
            <p className="small doctor-meta" data-testid="probe-meta">
              {t("doctor.probeMeta", { id: probe.id, time: formatUtc(probe.at) })} ·{" "}
              <span className="tag" title={t(probe.fetch ? "doctor.modeFetchingHelp" : "doctor.modePassiveHelp")}>
                {t(probe.fetch ? "doctor.modeFetching" : "doctor.modePassive")}
              </span>
              {probe.requested === "latest" ? <> · {t("doctor.latestResolved", { version: probe.version, reference: probe.reference })}</> : null}
            </p>
          ) : null}
        </div>
        {problem ? null : (
          <div className="doctor-actions">
            <div className="actions">
              <button type="button" onClick={() => start("push", fetch)} disabled={pending} aria-busy={pending} data-testid="probe-again">
                {pending ? t("doctor.probing") : probe ? t("doctor.probeAgain") : t("doctor.probeNow")}
              </button>
              {probe && reportProbe ? (
                <>
                  <CopyButton label={t("module.copyPermalink")} text={permalink} testId="copy-probe-permalink" />
                  <CopyButton label={t("module.copyMarkdown")} text={() => probeMarkdownReport(reportProbe, permalink())} testId="copy-probe-markdown" />
                </>
              ) : null}
            </div>
            <label className="fetch-toggle small" title={t("doctor.fetchHelp")}>
              <input type="checkbox" checked={fetch} onChange={(event) => setFetch(event.target.checked)} disabled={pending} data-testid="fetch-toggle" />
              {t("doctor.fetchToggle")}
            </label>
          </div>
        )}
      </div>

      <div role="status" aria-live="polite" className="doctor-status">
        {pending ? (
          <p className="probe-progress" data-testid="probe-progress">
            <span className="spinner" aria-hidden="true" />
            {t(target === "latest" ? "doctor.progressLatest" : "doctor.progress", { count: mirrors.length })}{" "}
            <span className="muted small">
              {mirrors.map((m) => m.name).join(", ")} · {t("doctor.elapsed", { seconds: elapsed })}
            </span>
          </p>
        ) : run.kind === "reused" ? (
          <p className="banner" data-testid="probe-reused">
            {t("doctor.reused", { id: run.id })}
          </p>
        ) : null}
      </div>
      {run.kind === "failed" && !pending ? (
        <p className="banner banner-bad" role="alert" data-testid="probe-failed">
          {run.message}
        </p>
      ) : null}
      {problem ? (
        <div className="banner banner-bad" role="alert" data-testid="probe-problem">
          {t("doctor.cannotProbe")} <code>{problem}</code>
        </div>
      ) : null}
      {!probe && !autoStart && !problem && !pending && run.kind === "idle" ? (
        <p className="muted small" data-testid="probe-not-started">
          {t(probedBefore ? "doctor.probedBefore" : "doctor.historicNote")}
        </p>
      ) : null}
      {mirrorParam && !highlight ? (
        <p className="banner" data-testid="mirror-not-probed">
          {t("doctor.mirrorNotProbed", { url: mirrorParam })}
        </p>
      ) : null}

      {probe ? (
        <div className={pending ? "doctor-body stale" : "doctor-body"}>
          <DoctorRows probe={probe} highlight={highlight} colour={colour} />
          <SumdbLine sumdb={probe.sumdb} />
          <GoproxyAdvice probe={probe} />
        </div>
      ) : null}
      <ProbeHistory probes={recent} current={probe?.id ?? null} />
    </section>
  );
}

/** Whole seconds since `since` (null: not running), ticking once a second. */
function useElapsedSeconds(since: number | null): number {
  const [now, setNow] = useState(() => since ?? 0);
  useEffect(() => {
    if (since === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}
