import Link from "next/link";
import { formatRelative, formatUtc, mirrorColour, modulePageHref } from "@/lib/web";
import type { RecentModule } from "@/lib/timeline";
import type { Locale, MessageKey } from "@/lib/i18n";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The most recently checked modules, each a whole-row link to its page (a large target on a phone). */
export function RecentChecks({ recent, now, locale, t }: { recent: RecentModule[]; now: string; locale: Locale; t: T }) {
  return (
    <section aria-labelledby="recent-title" className="home-section">
      <h2 id="recent-title">{t("home.recent.title")}</h2>
      <p className="muted small">{t("home.recent.help")}</p>
      <ul className="recent-list" data-testid="recent-checks">
        {recent.map((item) => (
          <li key={item.module} data-module={item.module} data-state={item.state} data-check-id={item.checkId}>
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

/** Before the first check: what to do, and which mirrors will be compared. */
export function HomeEmpty({ mirrors, reference, t }: { mirrors: string[]; reference: string; t: T }) {
  return (
    <section className="panel home-empty" aria-labelledby="empty-title">
      <h2 id="empty-title">{t("home.empty.title")}</h2>
      <p>{t("home.empty.body", { example: "github.com/IBM/sarama", button: t("search.submit") })}</p>
      <p className="small">
        <span className="muted">{t("home.empty.mirrors")}</span>{" "}
        {mirrors.map((name, position) => (
          <span key={name} className="mirror-name home-empty-mirror">
            <span className={`dot ${mirrorColour(position)}`} aria-hidden="true" />
            {name}
            {name === reference ? <span className="tag">{t("home.health.reference")}</span> : null}
          </span>
        ))}
      </p>
    </section>
  );
}
