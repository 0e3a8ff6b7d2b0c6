"use client";

import Link from "next/link";
import { useT } from "@/lib/i18n";
import type { MirrorSummary, TimelineDto } from "@/lib/timeline";
import { formatUtc, modulePageHref } from "@/lib/web";
import { MirrorName } from "./mirror-name";
import type { MirrorColour } from "./mirror-name";

type Props = {
  module: string;
  version: string | null;
  asOf: TimelineDto["asOf"];
  summaries: MirrorSummary[];
  checks: TimelineDto["checks"];
  checksUpToAsOf: number;
  colour: MirrorColour;
};

/** What each mirror answered in this check (status, latency, cache headers, its own words), and earlier checks. */
export function EvidenceTable({ module, version, asOf, summaries, checks, checksUpToAsOf, colour }: Props) {
  const t = useT();
  return (
    <section aria-labelledby="evidence-title">
      <h2 id="evidence-title">{t("module.evidence", { id: asOf.checkId })}</h2>
      <p className="muted small">
        {t("module.evidenceHelp")} {formatUtc(asOf.at)}
      </p>
      <div className="table-scroll">
        <table data-testid="evidence">
          <thead>
            <tr>
              <th>{t("module.mirror")}</th>
              <th>{t("module.state")}</th>
              <th>{t("module.status")}</th>
              <th>{t("module.latency")}</th>
              <th>{t("module.cache")}</th>
              <th>{t("module.requests")}</th>
              <th>{t("module.message")}</th>
            </tr>
          </thead>
          <tbody>
            {summaries.map((s) => (
              <tr key={s.name} data-mirror={s.name}>
                <td>
                  <MirrorName name={s.name} colour={colour(s.name)} />
                </td>
                <td className={s.outcome === "ok" ? "ok" : "bad"}>{t(`outcome.${s.outcome}`)}</td>
                <td className="mono">{s.status ?? "—"}</td>
                <td className="mono">{s.latencyMs === null ? "—" : `${s.latencyMs} ms`}</td>
                <td className="mono small">
                  {s.cacheControl ?? "—"}
                  {s.age !== null ? ` · Age ${s.age}` : ""}
                </td>
                <td className="small">
                  {s.requests ?? "—"} · {s.passive ? t("module.passive") : t("module.active")}
                </td>
                <td>
                  {s.message ? <pre className="message">{s.message}</pre> : s.finalUrl ? null : "—"}
                  {s.finalUrl ? (
                    <span className="muted small" data-testid="redirected">
                      {t("doctor.redirectedTo", { url: s.finalUrl })}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="checks-list">
        <summary>
          {t("module.checks")} ({checksUpToAsOf})
        </summary>
        <p className="muted small">{t("module.checksHelp")}</p>
        <ol>
          {checks.map((c) => (
            <li key={c.id}>
              <Link href={modulePageHref(module, version, c.id)}>
                #{c.id} · {formatUtc(c.at)}
              </Link>
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
