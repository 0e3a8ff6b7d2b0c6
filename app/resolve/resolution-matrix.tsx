"use client";

import { Fragment } from "react";
import Link from "next/link";
import { useT } from "@/lib/i18n";
import type { MessageKey } from "@/lib/i18n";
import { mirrorColour } from "@/lib/web";
import type { GoSumAgreement, RequirementDto, RequirementMirrorDto } from "@/lib/resolve";
import { MirrorName, Why } from "../m/[...module]/mirror-name";
import { cellFails, cellHref, isFailing, replacementText } from "./resolution-rows";

type T = ReturnType<typeof useT>;

const VERDICT_MARK = { ok: "✓", not_found: "✗", error: "✗", mismatch: "✗" } as const;

/** One go.sum line against the mirror's bytes: said only when there is a line or a missing one to say. */
function GoSumLine({ file, agreement, t }: { file: "gomod" | "zip"; agreement: GoSumAgreement; t: T }) {
  if (agreement !== "match" && agreement !== "mismatch" && agreement !== "absent") return null;
  return (
    <span className={`gosum gosum-${agreement}`} data-gosum={file} data-agreement={agreement}>
      {t(`resolve.gosum.${file}`)} {t(`resolve.gosum.${agreement}`)}
    </span>
  );
}

/** A module path that wraps after a slash or before its version rather than inside a name (phones). */
function BreakablePath({ text }: { text: string }) {
  const parts = text.split(/(?<=\/)|(?=@)/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </>
  );
}

function MatrixCell({ requirement, mirror, cell, showGoSum, lang, t }: { requirement: RequirementDto; mirror: string; cell: RequirementMirrorDto | undefined; showGoSum: boolean; lang: string | null; t: T }) {
  if (!cell) {
    return (
      <td className="resolve-cell pending" data-mirror={mirror} data-verdict="">
        <span className="muted">{requirement.state === "pending" ? t("resolve.pending") : "—"}</span>
      </td>
    );
  }
  const href = cellHref(requirement, mirror, lang);
  const fails = cellFails(cell);
  const label = (
    <>
      <span className="cell-verdict">
        {VERDICT_MARK[cell.verdict]} {t(`doctor.verdict.${cell.verdict}`)}
      </span>
      <span className="cell-code">{t(`resolve.code.${cell.diagnosis.code}` as MessageKey)}</span>
    </>
  );
  return (
    <td className={`resolve-cell verdict-${cell.verdict}${fails ? " fails" : ""}`} data-mirror={mirror} data-verdict={cell.verdict} data-diagnosis={cell.diagnosis.code}>
      <div className="cell-body">
        {/* A matrix can hold thousands of these links: no prefetching. */}
        {href ? (
          <Link href={href} prefetch={false} title={cell.diagnosis.text} className="cell-link">
            {label}
          </Link>
        ) : (
          <span title={cell.diagnosis.text}>{label}</span>
        )}
        <Why message={cell.diagnosis.text} />
      </div>
      {showGoSum ? (
        <div className="cell-gosum">
          <GoSumLine file="gomod" agreement={cell.gosum.gomod} t={t} />
          <GoSumLine file="zip" agreement={cell.gosum.zip} t={t} />
        </div>
      ) : null}
    </td>
  );
}

function RequirementRow({ requirement: r, mirrors, showGoSum, lang, t }: { requirement: RequirementDto; mirrors: string[]; showGoSum: boolean; lang: string | null; t: T }) {
  const replacement = replacementText(r);
  const notFetched = r.state === "local" || r.state === "excluded";
  return (
    <tr data-testid="requirement-row" data-module={r.module} data-version={r.version} data-state={r.state} data-failing={isFailing(r)} data-indirect={r.indirect}>
      <th scope="row" className="req-name">
        <code>
          <BreakablePath text={`${r.module}@${r.version}`} />
        </code>
        <span className="req-tags">
          {r.indirect ? <span className="tag">{t("resolve.tag.indirect")}</span> : null}
          {r.excluded ? <span className="tag">{t("resolve.tag.excluded")}</span> : null}
          {replacement && r.replacedBy ? (
            <span className="tag tag-accent" data-testid="replaced-by">
              {"local" in r.replacedBy ? t("resolve.tag.local", { dir: replacement }) : t("resolve.tag.replaced", { target: replacement })}
            </span>
          ) : null}
          {r.gosumVsChecksumDb === "mismatch" ? (
            <span className="badge badge-bad" data-testid="gosum-vs-sumdb">
              ✗ {t("resolve.sumdb.mismatch")}
            </span>
          ) : null}
        </span>
      </th>
      {notFetched ? (
        <td colSpan={mirrors.length} className="muted small resolve-cell not-fetched">
          {t(r.state === "local" ? "resolve.localNote" : "resolve.excludedNote")}
        </td>
      ) : (
        mirrors.map((name) => <MatrixCell key={name} requirement={r} mirror={name} cell={r.mirrors[name]} showGoSum={showGoSum} lang={lang} t={t} />)
      )}
    </tr>
  );
}

/** Requirements × mirrors: each cell the doctor's verdict and diagnosis (and the go.sum agreement), linking to its probe. */
export function ResolutionMatrix({ rows, mirrors, showGoSum, lang }: { rows: RequirementDto[]; mirrors: string[]; showGoSum: boolean; lang: string | null }) {
  const t = useT();
  const colour = (mirror: string) => mirrorColour(Math.max(0, mirrors.indexOf(mirror)));
  return (
    // Its own horizontal scroll: many mirrors on a phone widen this box, never the page.
    <div className="table-scroll resolve-matrix-scroll" role="region" aria-labelledby="matrix-title" tabIndex={0}>
      <table className="resolve-matrix" data-testid="resolve-matrix">
        <thead>
          <tr>
            <th scope="col">{t("resolve.matrix.requirement")}</th>
            {mirrors.map((name) => (
              <th scope="col" key={name}>
                <MirrorName name={name} colour={colour(name)} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <RequirementRow key={`${r.module}@${r.version}`} requirement={r} mirrors={mirrors} showGoSum={showGoSum} lang={lang} t={t} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
