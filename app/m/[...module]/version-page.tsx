import Link from "next/link";
import { probePermalink, toProbeDto } from "@/lib/doctor";
import type { Locale, MessageKey } from "@/lib/i18n";
import { currentOperator, getService, probeVersionProblem } from "@/lib/server";
import { matchMirror, modulePageHref, versionPageHref, withSearchParams } from "@/lib/web";
import { DoctorSection } from "./doctor-section";
import { ModuleView } from "./module-view";
import type { ModulePageState } from "./search-params";

type Props = { state: ModulePageState & { version: string }; locale: Locale; t: (key: MessageKey, params?: Record<string, string | number>) => string };

const RECENT_PROBES = 10;

/**
 * /m/<module>@<version>: the doctor first (a stored probe with ?probe=, else one started by the browser), then the
 * version's timeline. A probe permalink pins the timeline to the check that ran with it, so it renders the same forever.
 */
export async function VersionPage({ state, locale, t }: Props) {
  const service = getService();
  const { module, version: requested, at, mirror, fetch, lang } = state;
  const stored = state.probe === null ? null : await service.findProbe(state.probe);
  if (state.probe !== null) {
    const liveHref = versionPageHref(module, requested, { lang });
    if (!stored) {
      return (
        <section className="panel" data-testid="probe-missing">
          <h1>
            {module}@{requested}
          </h1>
          <p className="field-error" role="alert">
            {t("doctor.unknownProbe", { id: state.probe })}
          </p>
          <Link href={liveHref}>{t("doctor.openLive", { subject: `${module}@${requested}` })}</Link>
        </section>
      );
    }
    const sameVersion = stored.version === requested || (requested === "latest" && stored.requested === "latest");
    if (stored.module !== module || !sameVersion) {
      return (
        <section className="panel" data-testid="probe-elsewhere">
          <h1>
            {module}@{requested}
          </h1>
          <p className="field-error" role="alert">
            {t("doctor.otherProbe", { id: stored.id, subject: `${stored.module}@${stored.version}` })}
          </p>
          <p>
            <Link href={withSearchParams(probePermalink(stored.module, stored.version, stored.id), { lang })}>{t("doctor.openProbe", { id: stored.id })}</Link>
            {" · "}
            <Link href={liveHref}>{t("doctor.openLive", { subject: `${module}@${requested}` })}</Link>
          </p>
        </section>
      );
    }
  }

  const probe = stored ? toProbeDto(stored, locale) : null;
  const reportProbe = stored ? (locale === "en" ? probe : toProbeDto(stored, "en")) : null;
  // The version the page is about: what "latest" resolved to once probed; unknown before.
  const version = probe?.version ?? (requested === "latest" ? null : requested);
  const problem = requested === "latest" ? null : probeVersionProblem(module, requested);
  const configured = service.config.mirrors.map((m) => ({ name: m.name, baseUrl: m.baseUrl }));
  const probed = probe ? probe.mirrorOrder.map((name) => ({ name, baseUrl: probe.mirrors[name]?.baseUrl ?? "" })) : configured;
  const pinnedAt = at ?? stored?.checkId ?? null;
  const [timelineAtProbe, recent] = await Promise.all([
    version ? service.timeline(module, pinnedAt ?? undefined, { version }) : Promise.resolve(null),
    version ? service.listProbes(module, version, RECENT_PROBES) : Promise.resolve([]),
  ]);
  // A probe's check past the retention period is gone: its page then shows the live timeline below the probe.
  const timeline = timelineAtProbe && !timelineAtProbe.ok && timelineAtProbe.code === "unknown_check" && at === null && version ? await service.timeline(module, undefined, { version }) : timelineAtProbe;
  const timelineAt = timeline === timelineAtProbe ? pinnedAt : null;
  // A version page is a view of the module too: it keeps the module polled (WATCH_EXPIRY_DAYS).
  if (timeline?.ok) await service.noteInterest(module);

  const doctor = (
    <DoctorSection
      key={probe?.id ?? "live"}
      module={module}
      requested={requested}
      probe={probe}
      reportProbe={reportProbe}
      mirrors={configured}
      highlight={matchMirror(mirror, probed)}
      mirrorParam={mirror}
      recent={recent.map((p) => ({ id: p.id, at: p.at.toISOString(), fetch: p.fetch, href: versionPageHref(module, version ?? requested, { probe: p.id, lang }) }))}
      // Probes download zips from every mirror: a page opens with one only when asked (?run=1, the search box) or
      // when nobody has probed this version yet; otherwise it lists the earlier probes and offers "Probe now".
      autoStart={!stored && at === null && problem === null && (state.run || recent.length === 0)}
      probedBefore={!stored && at === null && recent.length > 0}
      initialFetch={fetch}
      problem={problem}
      lang={lang}
    />
  );

  if (timeline?.ok) {
    const operator = (await currentOperator()).operator;
    return <ModuleView module={module} version={version} at={timelineAt} initial={timeline.timeline} newest={timeline.newest} watched={timeline.watched} operator={operator} doctor={doctor} />;
  }
  if (timeline && timeline.code === "unknown_check") {
    return (
      <section className="panel">
        <h1>{module}</h1>
        <p className="field-error" role="alert">
          {t("module.unknownCheck", { id: String(at) })}
        </p>
        <Link href={versionPageHref(module, requested, { lang })}>{t("module.asOfLive")}</Link>
      </section>
    );
  }
  // No history of the module yet (or @latest not resolved yet): the doctor alone; its probe checks the module too.
  return (
    <article className="module-page" data-testid="module-page">
      <header className="module-header">
        <div>
          <h1>
            {module}
            <span className="muted">@{version ?? requested}</span>
          </h1>
          <p className="muted small">
            <Link href={modulePageHref(module)}>{t("module.allVersions", { module })}</Link>
          </p>
        </div>
      </header>
      {doctor}
      {timeline ? <p className="muted small" data-testid="no-history">{t("doctor.noHistory", { module })}</p> : null}
    </article>
  );
}
