"use client";

import Link from "next/link";
import { useT } from "@/lib/i18n";
import { TIMELINE_PAGE_SIZES } from "@/lib/timeline";
import type { MirrorSummary, TimelineDto } from "@/lib/timeline";
import { formatUtc, modulePageHref } from "@/lib/web";
import { MirrorName } from "./mirror-name";
import type { MirrorColour } from "./mirror-name";
import { LoadMore } from "./load-more";
import type { MorePages } from "./load-more";
import { VersionCell } from "./version-cell";

type Props = {
  module: string;
  mirrors: string[];
  reference: string;
  versions: TimelineDto["versions"];
  summaries: MirrorSummary[];
  /** How many versions the module has (the loaded pages hold `versions`). */
  total: number;
  more: MorePages;
  colour: MirrorColour;
};

/** Versions × mirrors: newest first, a cell per mirror; a large module's further versions load on demand. */
export function VersionMatrix({ module, mirrors, reference, versions, summaries, total, more, colour }: Props) {
  const t = useT();
  const rows = versions;
  const messageOf = (mirror: string) => summaries.find((s) => s.name === mirror)?.message ?? null;
  return (
    <section aria-labelledby="matrix-title">
      <h2 id="matrix-title">{t("module.matrix")}</h2>
      <div className="table-scroll">
        <table className="matrix" data-testid="version-matrix">
          <thead>
            <tr>
              <th>{t("module.version")}</th>
              {mirrors.map((m) => (
                <th key={m}>
                  <MirrorName name={m} colour={colour(m)} reference={m === reference} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.version} data-version={row.version}>
                <th scope="row">
                  <Link className="mono" href={modulePageHref(module, row.version)}>
                    {row.version}
                  </Link>
                  {row.time ? (
                    <div className="muted small" title={formatUtc(row.time)}>
                      {formatUtc(row.time).slice(0, 10)}
                    </div>
                  ) : null}
                </th>
                {mirrors.map((m) => {
                  const cell = row.mirrors[m];
                  return <td key={m}>{cell ? <VersionCell cell={cell} mirror={m} isReference={m === reference} mirrorMessage={messageOf(m)} /> : "—"}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > rows.length ? <p className="muted small">{t("module.versionsShown", { shown: rows.length, total })}</p> : null}
      <LoadMore
        more={more}
        nextLabel={t("module.showMore", { count: Math.min(TIMELINE_PAGE_SIZES.versions, total - rows.length) })}
        allLabel={t("module.showAll", { count: total })}
        testId="more-versions"
      />
    </section>
  );
}
