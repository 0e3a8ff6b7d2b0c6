"use client";

import { useLocale, useT } from "@/lib/i18n";
import type { VersionCellDto } from "@/lib/timeline";
import { formatLag, formatUtc, formatUtcShort, formatWindow } from "@/lib/web";
import { Why } from "./mirror-name";

/** One version on one mirror: its lag and pickup window, or why it is not there; retraction and hash badges. */
export function VersionCell({ cell, mirror, isReference, mirrorMessage }: { cell: VersionCellDto; mirror: string; isReference: boolean; mirrorMessage: string | null }) {
  const t = useT();
  const locale = useLocale();
  const parts: React.ReactNode[] = [];
  if (cell.state === "present") {
    if (cell.lagSeconds !== null && !isReference) {
      parts.push(
        <span key="lag" className={cell.lagSeconds > 0 ? "lag warn" : "lag ok"} data-testid="lag">
          {formatLag(cell.lagSeconds, locale)}
        </span>,
      );
    }
    if (cell.firstSeen && cell.lastMissing) {
      parts.push(
        <span key="window" className="muted small window">
          {t("cell.between", { window: formatWindow(cell.lastMissing, cell.firstSeen) })}
        </span>,
      );
    } else if (cell.firstSeen) {
      parts.push(
        <span key="first" className="muted small" title={formatUtc(cell.firstSeen)}>
          {t("cell.presentAtFirstLook", { time: formatUtcShort(cell.firstSeen) })}
        </span>,
      );
    }
  } else {
    const word = cell.state === "missing" && cell.retracted ? t("cell.hiddenRetracted") : t(`cell.${cell.state}`);
    parts.push(
      <span key="state" className={cell.state === "missing" ? "warn" : cell.state === "not_asked" ? "muted" : "bad"} title={cell.state === "not_asked" ? t("cell.notAskedHelp") : undefined}>
        {word}
        {cell.state !== "missing" && cell.state !== "not_asked" && mirrorMessage ? <Why message={mirrorMessage} /> : null}
      </span>,
    );
  }
  if (cell.retracted) {
    parts.push(
      <span key="retracted" className="badge badge-retracted" title={cell.rationale ?? undefined}>
        {t("cell.retracted")}
        {cell.rationale ? `: ${cell.rationale}` : ""}
      </span>,
    );
  }
  if (cell.removedAt) parts.push(<span key="removed" className="small warn">{t("cell.removed", { time: formatUtcShort(cell.removedAt) })}</span>);
  if (cell.h1Agrees === false) parts.push(<span key="hash" className="badge badge-bad">{t("cell.hashMismatch")}</span>);
  return (
    <div className={`cell cell-${cell.state}`} data-state={cell.state} data-mirror={mirror}>
      {parts}
    </div>
  );
}
