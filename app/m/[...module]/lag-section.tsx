"use client";

import { useT } from "@/lib/i18n";
import type { TimelineDto } from "@/lib/timeline";
import { LagChart } from "./lag-chart";

/** The lag chart of every pickup against the reference, with its help text. */
export function LagSection({ mirrors, reference, lagPoints }: Pick<TimelineDto, "mirrors" | "reference" | "lagPoints">) {
  const t = useT();
  return (
    <section aria-labelledby="chart-title">
      <h2 id="chart-title">{t("module.chart")}</h2>
      <p className="muted small">{t("module.chartHelp", { reference })}</p>
      <LagChart timeline={{ mirrors, reference, lagPoints }} />
    </section>
  );
}
