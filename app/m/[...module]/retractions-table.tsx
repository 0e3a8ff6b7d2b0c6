"use client";

import { useT } from "@/lib/i18n";
import type { TimelineDto } from "@/lib/timeline";
import { TimeText } from "./time-text";

/** Each retraction, its rationale, and when it reached each mirror (or that it has not yet). */
export function RetractionsTable({ retractions, mirrors }: { retractions: TimelineDto["retractions"]; mirrors: string[] }) {
  const t = useT();
  if (retractions.length === 0) return null;
  return (
    <section aria-labelledby="retractions-title">
      <h2 id="retractions-title">{t("retractions.title")}</h2>
      <div className="table-scroll">
        <table data-testid="retractions">
          <thead>
            <tr>
              <th>{t("retractions.range")}</th>
              <th>{t("retractions.rationale")}</th>
              {mirrors.map((m) => (
                <th key={m}>{m}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {retractions.map((r) => (
              <tr key={`${r.low}-${r.high}`}>
                <td className="mono">{r.low === r.high ? r.low : `[${r.low}, ${r.high}]`}</td>
                <td className="small">{r.rationale || "—"}</td>
                {mirrors.map((m) => {
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
