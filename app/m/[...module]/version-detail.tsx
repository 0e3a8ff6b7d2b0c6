"use client";

import { useT } from "@/lib/i18n";
import type { MirrorSummary, TimelineDto } from "@/lib/timeline";
import { formatUtc } from "@/lib/web";
import { MirrorName } from "./mirror-name";
import type { MirrorColour } from "./mirror-name";
import { VersionCell } from "./version-cell";

type Props = {
  version: string;
  row: TimelineDto["versions"][number] | undefined;
  mirrors: string[];
  reference: string;
  summaries: MirrorSummary[];
  colour: MirrorColour;
};

/** One version on every mirror (the version page). */
export function VersionDetail({ version, row, mirrors, reference, summaries, colour }: Props) {
  const t = useT();
  const messageOf = (mirror: string) => summaries.find((s) => s.name === mirror)?.message ?? null;
  return (
    <section aria-labelledby="version-title">
      <h2 id="version-title">{version}</h2>
      {row?.time ? (
        <p className="muted small">
          {t("module.published")}: {formatUtc(row.time)}
        </p>
      ) : null}
      {!row ? (
        <p className="banner" data-testid="version-not-seen">
          {t("module.versionNotSeen", { version })}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="matrix" data-testid="version-detail">
            <tbody>
              {mirrors.map((m) => {
                const cell = row.mirrors[m];
                return (
                  <tr key={m} data-mirror={m}>
                    <th scope="row">
                      <MirrorName name={m} colour={colour(m)} reference={m === reference} />
                    </th>
                    <td>{cell ? <VersionCell cell={cell} mirror={m} isReference={m === reference} mirrorMessage={messageOf(m)} /> : "—"}</td>
                    <td className="small muted">{cell?.firstSeen ? t("cell.firstSeen", { time: formatUtc(cell.firstSeen) }) : ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
