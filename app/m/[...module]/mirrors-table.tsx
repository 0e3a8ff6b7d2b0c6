"use client";

import { useT } from "@/lib/i18n";
import type { MessageKey } from "@/lib/i18n";
import type { MirrorSummary } from "@/lib/timeline";
import { MirrorName, Why } from "./mirror-name";
import type { MirrorColour } from "./mirror-name";
import { TimeText } from "./time-text";

/** The mirrors side by side: what @latest resolves to, in sync or not, hash agreement, deprecation. */
export function MirrorsTable({ summaries, asOfAt, colour }: { summaries: MirrorSummary[]; asOfAt: string; colour: MirrorColour }) {
  const t = useT();
  const reference = summaries.find((s) => s.isReference);
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">{t("module.summary")}</h2>
      <div className="table-scroll">
        <table className="summary-table" data-testid="summary-table">
          <thead>
            <tr>
              <th>{t("module.mirror")}</th>
              <th>{t("module.latest")}</th>
              <th>{t("module.state")}</th>
              <th>{t("module.lastChecked")}</th>
              <th>{t("module.hash")}</th>
              <th>{t("module.deprecated")}</th>
            </tr>
          </thead>
          <tbody>
            {summaries.map((s) => {
              const behind = !s.isReference && s.outcome === "ok" && reference && (s.latest !== reference.latest || s.missingCount > 0);
              return (
                <tr key={s.name} data-mirror={s.name}>
                  <td>
                    <MirrorName name={s.name} colour={colour(s.name)} reference={s.isReference} />
                  </td>
                  <td className="mono" data-testid="latest">
                    {s.latest ?? "—"}
                  </td>
                  <td>
                    <OutcomeWord summary={s} behind={Boolean(behind)} />
                  </td>
                  <td>
                    <TimeText iso={asOfAt} />
                  </td>
                  <td className={s.hashAgreement === "disagree" ? "bad" : ""}>{t(`hash.${s.hashAgreement}`)}</td>
                  <td className="small">{s.deprecated ? <span className="deprecated">{s.deprecated}</span> : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function OutcomeWord({ summary, behind }: { summary: MirrorSummary; behind: boolean }) {
  const t = useT();
  if (summary.outcome === "ok") {
    const word = behind ? t("state.behind") : t("state.in_sync");
    return (
      <span className={behind ? "warn" : "ok"}>
        {word}
        {summary.missingCount > 0 ? ` (−${summary.missingCount})` : ""}
        {summary.message ? <Why message={summary.message} /> : null}
      </span>
    );
  }
  const key: MessageKey = summary.outcome === "not_found" ? "state.not_found" : "state.error";
  return (
    <span className="bad">
      {t(key)}
      {summary.status ? ` (${summary.status})` : ""}
      {summary.message ? <Why message={summary.message} /> : null}
    </span>
  );
}
