import Link from "next/link";
import { formatLag, mirrorColour, modulePageHref } from "@/lib/web";
import type { HomeSummary, MirrorFocus, MirrorHealth } from "@/lib/timeline";
import type { Locale, MessageKey } from "@/lib/i18n";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** One card per configured mirror, in configured order, each pointing at the module most worth a look. */
export function MirrorHealthSection({ home, locale, t }: { home: HomeSummary; locale: Locale; t: T }) {
  return (
    <section aria-labelledby="health-title" className="home-section">
      <h2 id="health-title">{t("home.health.title")}</h2>
      <p className="muted small">{t("home.health.help", { reference: home.reference, days: home.windowDays })}</p>
      <ul className="health-grid" data-testid="mirror-health">
        {home.mirrors.map((mirror) => (
          <MirrorCard key={mirror.name} mirror={mirror} days={home.windowDays} locale={locale} t={t} />
        ))}
      </ul>
    </section>
  );
}

function MirrorCard({ mirror, days, locale, t }: { mirror: MirrorHealth; days: number; locale: Locale; t: T }) {
  const percent = (fraction: number, digits: number) =>
    new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(fraction);
  const { inSync, lag, answers } = mirror;
  const colour = mirrorColour(mirror.position);
  return (
    <li
      className={`health-card ${colour}`}
      aria-labelledby={`health-${mirror.position}`}
      // The numbers behind the formatted text, for browser tests.
      data-mirror={mirror.name}
      data-in-sync={inSync.count}
      data-compared={inSync.of}
      data-lag-samples={lag?.samples}
      data-lag-median-seconds={lag?.medianSeconds ?? undefined}
      data-lag-p90-seconds={lag?.p90Seconds ?? undefined}
      data-answers={answers.total}
      data-errors={answers.errors}
    >
      <h3 className="mirror-name" id={`health-${mirror.position}`}>
        <span className={`dot ${colour}`} aria-hidden="true" />
        {mirror.name}
        {mirror.isReference ? <span className="tag">{t("home.health.reference")}</span> : null}
      </h3>
      {inSync.of > 0 ? (
        <p className="health-share">
          <strong>{percent(inSync.count / inSync.of, 0)}</strong> {t("home.health.inSync")}
          <span className="muted small">{t("home.health.inSyncCount", { count: inSync.count, total: inSync.of })}</span>
        </p>
      ) : (
        <p className="health-share muted small">{t("home.health.noModules")}</p>
      )}
      <dl className="health-stats">
        {lag === null ? (
          <div className="health-stat-wide">
            <dt>{t("home.health.medianLag")}</dt>
            <dd>
              {t("home.health.reference")}
              <span className="muted small">{t("home.health.referenceHelp")}</span>
            </dd>
          </div>
        ) : lag.samples === 0 || lag.medianSeconds === null || lag.p90Seconds === null ? (
          <div className="health-stat-wide">
            <dt>{t("home.health.medianLag")}</dt>
            <dd className="muted small">{t("home.health.noLag", { days })}</dd>
          </div>
        ) : (
          <>
            <div>
              <dt>{t("home.health.medianLag")}</dt>
              <dd>{formatLag(lag.medianSeconds, locale)}</dd>
            </div>
            <div>
              <dt>{t("home.health.p90Lag")}</dt>
              <dd>
                {formatLag(lag.p90Seconds, locale)}
                <span className="muted small">{t("home.health.lagSamples", { count: lag.samples })}</span>
              </dd>
            </div>
          </>
        )}
        <div className="health-stat-wide">
          <dt>{t("home.health.errors")}</dt>
          {answers.total > 0 ? (
            <dd className={answers.errors > 0 ? "bad" : undefined}>
              {percent(answers.errors / answers.total, 1)}
              <span className="muted small">{t("home.health.errorCount", { errors: answers.errors, total: answers.total })}</span>
            </dd>
          ) : (
            <dd className="muted small">{t("home.health.noAnswers", { days })}</dd>
          )}
        </div>
      </dl>
      <FocusLine focus={mirror.focus} hasData={inSync.of > 0 || (lag?.samples ?? 0) > 0} locale={locale} t={t} />
    </li>
  );
}

function FocusLine({ focus, hasData, locale, t }: { focus: MirrorFocus | null; hasData: boolean; locale: Locale; t: T }) {
  if (!focus) return hasData ? <p className="health-focus muted small">{t("home.health.allGood")}</p> : null;
  const label =
    focus.kind === "behind"
      ? t("home.health.focusBehind")
      : focus.kind === "not_found"
        ? t("home.health.focusNotFound")
        : focus.kind === "error"
          ? t("home.health.focusError")
          : t("home.health.focusSlowest");
  const href = focus.kind === "slowest" ? modulePageHref(focus.module, focus.version) : modulePageHref(focus.module);
  const detail =
    focus.kind === "behind"
      ? focus.missingCount > 0
        ? focus.missingCount === 1
          ? t("home.health.missingVersion")
          : t("home.health.missingVersions", { count: focus.missingCount })
        : t("home.health.latestDiffers", { latest: focus.latest ?? t("home.health.none"), reference: focus.referenceLatest ?? t("home.health.none") })
      : focus.kind === "slowest"
        ? formatLag(focus.lagSeconds, locale)
        : null;
  return (
    <p className="health-focus small" data-focus={focus.kind}>
      <span className="muted">{label}</span>{" "}
      <Link href={href} className="mono" title={focus.kind === "error" || focus.kind === "not_found" ? (focus.message ?? undefined) : undefined}>
        {focus.kind === "slowest" ? `${focus.module}@${focus.version}` : focus.module}
      </Link>
      {detail ? <span className={focus.kind === "behind" ? "warn" : "muted"}> · {detail}</span> : null}
    </p>
  );
}
