import Link from "next/link";
import { formatRelative, formatUtc, modulePageHref } from "@/lib/web";
import type { RecentModule } from "@/lib/timeline";
import type { GrowthSummary } from "@/lib/server";
import type { Locale, MessageKey } from "@/lib/i18n";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Said where everyone sees it: past MAX_WATCHED_MODULES a first check no longer watches the module. */
export function GrowthNotice({ growth, t }: { growth: GrowthSummary; t: T }) {
  if (!growth.capReached) return null;
  return (
    <p className="banner" role="status" data-testid="growth-cap-notice">
      {t("growth.capReached", { polled: growth.polled, max: growth.maxWatched })}
    </p>
  );
}

/** The watched modules, at most WATCHED_LIST_LIMIT of them with the total: cheap to render with thousands watched. */
export function WatchedModules({ watched, total, growth, now, locale, t }: { watched: RecentModule[]; total: number; growth: GrowthSummary; now: string; locale: Locale; t: T }) {
  if (total === 0) return null;
  return (
    <section aria-labelledby="watched-title" className="home-section">
      <h2 id="watched-title">{t("growth.watched.title")}</h2>
      <p className="muted small">
        {t("growth.watched.help", { days: growth.expiryDays })}{" "}
        <span data-testid="watched-count">{t("growth.watched.count", { shown: watched.length, total })}</span>
      </p>
      <ul className="recent-list" data-testid="watched-modules">
        {watched.map((item) => (
          <li key={item.module} data-module={item.module} data-state={item.state}>
            <Link href={modulePageHref(item.module)} className="recent-row">
              <span className="recent-module mono">{item.module}</span>
              <span className={`state-badge state-${item.state}`}>{t(`state.${item.state}`)}</span>
              <time className="recent-time muted small" dateTime={item.checkedAt} title={formatUtc(item.checkedAt)}>
                {formatRelative(item.checkedAt, new Date(now), locale)}
              </time>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
