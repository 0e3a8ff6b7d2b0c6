"use client";

import { useT } from "@/lib/i18n";
import type { TimelineDto } from "@/lib/timeline";
import { LagChart } from "./lag-chart";
import { LoadMore } from "./load-more";
import type { MorePages } from "./load-more";

type Props = Pick<TimelineDto, "mirrors" | "reference" | "lagPoints"> & { total: number; more: MorePages };

/** The lag chart of every pickup against the reference (the newest ones first, the rest on demand). */
export function LagSection({ mirrors, reference, lagPoints, total, more }: Props) {
  const t = useT();
  return (
    <section aria-labelledby="chart-title">
      <h2 id="chart-title">{t("module.chart")}</h2>
      <p className="muted small">{t("module.chartHelp", { reference })}</p>
      {total > lagPoints.length ? (
        <div className="muted small">
          {t("module.chartPartial", { shown: lagPoints.length, total })}
          <LoadMore more={more} nextLabel={t("module.chartAll", { total })} testId="more-lag-points" />
        </div>
      ) : null}
      <LagChart timeline={{ mirrors, reference, lagPoints }} />
    </section>
  );
}
