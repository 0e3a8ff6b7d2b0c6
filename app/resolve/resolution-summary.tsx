"use client";

import { useT } from "@/lib/i18n";
import type { MessageKey } from "@/lib/i18n";
import type { ResolutionDto } from "@/lib/resolve";
import { goEnvCommand } from "@/lib/report";
import { CopyButton } from "../m/[...module]/copy-button";
import { MirrorName } from "../m/[...module]/mirror-name";
import { mirrorColour } from "@/lib/web";
import { exportCommand, goprivateCommand } from "./resolution-report";
import { unresolvableReason } from "./resolution-rows";

/** done of total as a bar: a real progressbar, so its value is announced and testable. */
export function ResolutionProgress({ done, total }: { done: number; total: number }) {
  const t = useT();
  const share = total === 0 ? 100 : Math.round((done / total) * 100);
  const text = t("resolve.progress", { done, total });
  return (
    <div className="resolve-progress">
      <div
        role="progressbar"
        aria-label={t("resolve.progressLabel")}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
        className="progress-track"
        data-testid="resolve-progress"
      >
        {/* An SVG's width attribute, not style="": the page's Content-Security-Policy refuses inline style attributes. */}
        <svg className="progress-fill" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
          <rect width={share} height="1" />
        </svg>
      </div>
      <span className="small progress-text">{text}</span>
    </div>
  );
}

/** Every GOPROXY value the probes compare, for the whole go.mod: folded, as the advice above is the answer. */
function WholeChains({ chains, advised }: { chains: NonNullable<ResolutionDto["chains"]>; advised: string | null }) {
  const t = useT();
  if (chains.length === 0) return null;
  const working = chains.filter((c) => c.result === "ok").length;
  return (
    <details className="whole-chains" data-testid="whole-chains">
      <summary className="small">{t("resolve.chains.summary", { working, total: chains.length })}</summary>
      <div className="table-scroll">
        <table className="chains">
          <thead>
            <tr>
              <th scope="col">{t("doctor.chains.goproxy")}</th>
              <th scope="col">{t("doctor.chains.result")}</th>
            </tr>
          </thead>
          <tbody>
            {chains.map((c) => (
              <tr key={c.goproxy} data-goproxy={c.goproxy} data-result={c.result} className={c.goproxy === advised ? "advised" : undefined}>
                <td className="chain-value">
                  <code className="goproxy-value">{c.goproxy}</code>
                </td>
                <td className={`chain-result ${c.result === "ok" ? "ok" : c.result === "fail" ? "bad" : "warn"}`}>{t(`doctor.chain.${c.result}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The one GOPROXY for the whole go.mod (with the commands to set it), then what no chain serves and GOPRIVATE. */
export function ResolutionAdvice({ resolution }: { resolution: ResolutionDto }) {
  const t = useT();
  const { goproxy, reason } = resolution.advice;
  const goprivate = goprivateCommand(resolution);
  return (
    <>
      <section aria-labelledby="resolve-advice-title" className="doctor-block" data-testid="resolve-advice">
        <h2 id="resolve-advice-title">{t("doctor.advice.title")}</h2>
        {goproxy ? (
          <div className="advice">
            <pre className="command" data-testid="resolve-advice-command">
              {goEnvCommand(goproxy)}
            </pre>
            <div className="actions">
              <CopyButton label={t("doctor.advice.copy")} text={() => goEnvCommand(goproxy)} testId="copy-resolve-advice" />
              <CopyButton label={t("resolve.advice.copyExport")} text={() => exportCommand(goproxy)} testId="copy-resolve-export" />
            </div>
          </div>
        ) : null}
        <p data-testid="resolve-advice-reason" className={goproxy ? undefined : "banner banner-bad"}>
          {reason || t("resolve.advice.none")}
        </p>
        <WholeChains chains={resolution.chains ?? []} advised={goproxy} />
      </section>
      {resolution.unresolvable.length > 0 ? (
        <section aria-labelledby="unresolvable-title" className="doctor-block" data-testid="unresolvable">
          <h2 id="unresolvable-title">{t("resolve.unresolvable.title")}</h2>
          <p className="muted small">{t("resolve.unresolvable.help")}</p>
          <ul className="unresolvable-list">
            {resolution.unresolvable.map((u) => (
              <li key={`${u.module}@${u.version}`} data-module={u.module}>
                <code>
                  {u.module}@{u.version}
                </code>
                {u.code ? <span className="badge badge-bad">{t(`resolve.code.${u.code}` as MessageKey)}</span> : null}
                {u.goprivate ? <span className="small">{t("resolve.unresolvable.goprivate", { pattern: u.goprivate })}</span> : null}
                {unresolvableReason(resolution, u) === "excluded" ? <span className="small">{t("resolve.unresolvable.excluded")}</span> : null}
                {unresolvableReason(resolution, u) === "gosum" ? <span className="small">{t("resolve.unresolvable.gosum")}</span> : null}
              </li>
            ))}
          </ul>
          {goprivate ? (
            <div className="advice">
              <pre className="command" data-testid="goprivate-command">
                {goprivate}
              </pre>
              <CopyButton label={t("resolve.unresolvable.copyGoprivate")} text={() => goprivate} testId="copy-goprivate" />
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

/** Per mirror: how many requirements resolve, fail, or are not there yet. */
export function ResolutionTotals({ resolution }: { resolution: ResolutionDto }) {
  const t = useT();
  const mirrors = Object.keys(resolution.mirrors);
  return (
    <section aria-labelledby="totals-title" className="doctor-block">
      <h2 id="totals-title">{t("resolve.totals.title")}</h2>
      <div className="table-scroll">
        <table className="resolve-totals" data-testid="resolve-totals">
          <thead>
            <tr>
              <th scope="col">{t("resolve.totals.mirror")}</th>
              <th scope="col">{t("resolve.totals.resolves")}</th>
              <th scope="col">{t("resolve.totals.fails")}</th>
              <th scope="col">{t("resolve.totals.missing")}</th>
            </tr>
          </thead>
          <tbody>
            {mirrors.map((name, index) => {
              const total = resolution.mirrors[name];
              if (!total) return null;
              return (
                <tr key={name} data-mirror={name}>
                  <th scope="row">
                    <MirrorName name={name} colour={mirrorColour(index)} />
                  </th>
                  <td className="num ok" data-total="resolves">
                    {total.resolves}
                  </td>
                  <td className={total.fails > 0 ? "num bad" : "num muted"} data-total="fails">
                    {total.fails}
                  </td>
                  <td className={total.missing > 0 ? "num warn" : "num muted"} data-total="missing">
                    {total.missing}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
