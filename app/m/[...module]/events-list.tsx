"use client";

import { useLocale, useT } from "@/lib/i18n";
import type { TimelineEventDto } from "@/lib/timeline";
import { formatLag, formatWindow } from "@/lib/web";
import { LoadMore } from "./load-more";
import type { MorePages } from "./load-more";
import type { MirrorColour } from "./mirror-name";
import { TimeText } from "./time-text";

/** What happened: versions appearing and disappearing, retractions and deprecations reaching mirrors, newest first. */
export function EventsList({ events, total, more, reference, colour }: { events: TimelineEventDto[]; total: number; more: MorePages; reference: string; colour: MirrorColour }) {
  const t = useT();
  const locale = useLocale();
  const text = (e: TimelineEventDto): string => {
    switch (e.kind) {
      case "version_appeared":
        if (e.lagSeconds === null || e.lagSeconds === undefined || e.mirror === reference) return t("event.version_appeared", { version: e.version ?? "", mirror: e.mirror });
        if (e.lagSeconds === 0) return t("event.version_appeared_same", { version: e.version ?? "", mirror: e.mirror, reference });
        return t(e.lagSeconds >= 0 ? "event.version_appeared_lag" : "event.version_appeared_early", {
          version: e.version ?? "",
          mirror: e.mirror,
          lag: formatLag(Math.abs(e.lagSeconds), locale).replace(/^[+±]/, ""),
          reference,
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
          {events.map((e, i) => (
            <li key={`${e.kind}-${e.mirror}-${e.at}-${i}`} data-kind={e.kind}>
              <span className={`dot ${colour(e.mirror)}`} aria-hidden="true" />
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
      {total > events.length ? <LoadMore more={more} nextLabel={t("module.moreEvents", { shown: events.length, total })} testId="more-events" /> : null}
    </section>
  );
}
