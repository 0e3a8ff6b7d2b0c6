"use client";

import { CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatLag, formatUtc } from "@/lib/web";
import { useIsClient } from "@/lib/web/react";
import { useLocale, useT } from "@/lib/i18n";
import type { TimelineDto } from "@/lib/timeline";

type Point = { x: number; y: number; version: string; mirror: string; lagSeconds: number; windowSeconds: number | null; error: [number, number] };

/** Chart-ready series, one per non-reference mirror; pure so the chart and its table show the same numbers. */
export function lagSeries(timeline: Pick<TimelineDto, "mirrors" | "reference" | "lagPoints">): { mirror: string; index: number; points: Point[] }[] {
  return timeline.mirrors
    .map((mirror, index) => ({ mirror, index }))
    .filter(({ mirror }) => mirror !== timeline.reference)
    .map(({ mirror, index }) => ({
      mirror,
      index,
      points: timeline.lagPoints
        .filter((p) => p.mirror === mirror)
        .map((p) => ({
          x: new Date(p.referenceFirstSeen).getTime(),
          y: Math.round((p.lagSeconds / 60) * 10) / 10,
          version: p.version,
          mirror,
          lagSeconds: p.lagSeconds,
          windowSeconds: p.windowSeconds,
          // The pickup happened somewhere in the window before firstSeen: the lag could be that much smaller.
          error: [Math.round(((p.windowSeconds ?? 0) / 60) * 10) / 10, 0] as [number, number],
        })),
    }));
}

/** A pure client component: takes the timeline's lag points, fetches nothing. */
export function LagChart({ timeline }: { timeline: Pick<TimelineDto, "mirrors" | "reference" | "lagPoints"> }) {
  const t = useT();
  const locale = useLocale();
  // ResponsiveContainer measures the DOM: render the chart in the browser only.
  const mounted = useIsClient();
  const series = lagSeries(timeline);
  const total = series.reduce((n, s) => n + s.points.length, 0);
  if (total === 0) return <p className="muted" data-testid="lag-chart-empty">{t("module.chartEmpty")}</p>;
  return (
    <figure className="lag-chart" data-testid="lag-chart">
      <div className="chart-box" aria-hidden="true">
        {mounted ? (
          <ResponsiveContainer width="100%" height={320}>
            <ScatterChart margin={{ top: 12, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid stroke="var(--border)" />
              <XAxis
                type="number"
                dataKey="x"
                domain={["dataMin", "dataMax"]}
                scale="time"
                tickFormatter={(v: number) => formatUtc(new Date(v)).slice(5, 16)}
                stroke="var(--muted)"
                fontSize={12}
              />
              <YAxis type="number" dataKey="y" unit=" min" stroke="var(--muted)" fontSize={12} width={72} />
              <Tooltip
                cursor={{ strokeDasharray: "3 3" }}
                content={({ payload }) => {
                  const p = payload?.[0]?.payload as Point | undefined;
                  if (!p) return null;
                  return (
                    <div className="chart-tooltip">
                      <strong>{p.version}</strong> · {p.mirror}
                      <br />
                      {formatLag(p.lagSeconds, locale)} · {formatUtc(new Date(p.x))}
                    </div>
                  );
                }}
              />
              <Legend />
              {series.map((s) => (
                <Scatter
                  key={s.mirror}
                  name={s.mirror}
                  data={s.points}
                  fill={`var(--mirror-${s.index % 6})`}
                  line={{ stroke: `var(--mirror-${s.index % 6})`, strokeOpacity: 0.5 }}
                  isAnimationActive={false}
                  className={`series series-${s.index}`}
                >
                  <ErrorBar dataKey="error" direction="y" width={4} stroke={`var(--mirror-${s.index % 6})`} isAnimationActive={false} />
                </Scatter>
              ))}
            </ScatterChart>
          </ResponsiveContainer>
        ) : (
          <div className="chart-placeholder" />
        )}
      </div>
      <figcaption className="visually-hidden">{t("module.chartTable")}</figcaption>
      {/* The same numbers for screen readers; rendered in the browser like the chart, so the first page stays light.
          A table ignores its own 1 px width, so the wrapper is what hides it from sight (not from screen readers). */}
      {mounted ? (
        <div className="visually-hidden">
          <table data-testid="lag-table">
            <caption>{t("module.chartTable")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("module.mirror")}</th>
                <th scope="col">{t("module.version")}</th>
                <th scope="col">{timeline.reference}</th>
                <th scope="col">{t("chart.lag")}</th>
                <th scope="col">{t("chart.window")}</th>
              </tr>
            </thead>
            <tbody>
              {series.flatMap((s) =>
                s.points.map((p) => (
                  <tr key={`${s.mirror}-${p.version}`} data-mirror={s.mirror} data-version={p.version} data-lag-seconds={p.lagSeconds}>
                    <td>{s.mirror}</td>
                    <td>{p.version}</td>
                    <td>{formatUtc(new Date(p.x))}</td>
                    <td>{formatLag(p.lagSeconds, locale)}</td>
                    <td>{p.windowSeconds === null ? "—" : formatLag(p.windowSeconds, locale).replace(/^\+/, "")}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      ) : null}
    </figure>
  );
}
