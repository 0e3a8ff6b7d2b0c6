"use client";

import Link from "next/link";
import { useState } from "react";
import { useT } from "@/lib/i18n";
import type { MirrorSummary, TimelineDto } from "@/lib/timeline";
import { formatUtc, modulePageHref } from "@/lib/web";
import { MirrorName } from "./mirror-name";
import type { MirrorColour } from "./mirror-name";
import { VersionCell } from "./version-cell";

const INITIAL_ROWS = 60;

type Props = {
  module: string;
  mirrors: string[];
  reference: string;
  versions: TimelineDto["versions"];
  summaries: MirrorSummary[];
  colour: MirrorColour;
};

/** Versions × mirrors: newest first, a cell per mirror. */
export function VersionMatrix({ module, mirrors, reference, versions, summaries, colour }: Props) {
  const t = useT();
  const [showAll, setShowAll] = useState(false);
  const rows = showAll ? versions : versions.slice(0, INITIAL_ROWS);
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
      {versions.length > rows.length ? (
        <button type="button" className="secondary" onClick={() => setShowAll(true)}>
          {t("module.showAll", { count: versions.length })}
        </button>
      ) : null}
    </section>
  );
}
