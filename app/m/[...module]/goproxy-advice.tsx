"use client";

import { useState } from "react";
import { useT } from "@/lib/i18n";
import type { ChainPrediction, ProbeDto } from "@/lib/doctor";
import { errorHead, goEnvCommand, primaryChains } from "@/lib/report";
import { CopyButton } from "./copy-button";

/** The go command's error up to its first blank line; the rest (SECURITY ERROR's boilerplate) is one click away. */
function ChainError({ text }: { text: string }) {
  const t = useT();
  const head = errorHead(text);
  if (head === text) return <pre className="message">{text}</pre>;
  return (
    <>
      <pre className="message">{head}</pre>
      <details className="chain-error-rest">
        <summary className="small">{t("doctor.chains.fullError")}</summary>
        <pre className="message">{text.slice(head.length + 2)}</pre>
      </details>
    </>
  );
}

function ChainRow({ chain, advised }: { chain: ChainPrediction; advised: boolean }) {
  const t = useT();
  return (
    <tr data-goproxy={chain.goproxy} data-result={chain.result} className={advised ? "advised" : undefined}>
      <td className="chain-value">
        <code className="goproxy-value">{chain.goproxy}</code>
      </td>
      <td className={`chain-result ${chain.result === "ok" ? "ok" : chain.result === "fail" ? "bad" : "warn"}`}>{t(`doctor.chain.${chain.result}`)}</td>
      <td className="chain-served">{chain.servedBy ?? "—"}</td>
      <td className={chain.error ? "chain-error" : "chain-error none"}>{chain.error ? <ChainError text={chain.error} /> : "—"}</td>
    </tr>
  );
}

/** The GOPROXY the doctor recommends (with the command to set it), and what every candidate value would do. */
export function GoproxyAdvice({ probe }: { probe: ProbeDto }) {
  const t = useT();
  const [showAll, setShowAll] = useState(false);
  const { advice, chains } = probe.goproxy;
  const subject = `${probe.module}@${probe.version}`;
  const command = goEnvCommand(advice.goproxy);
  // Each mirror alone (and with ,direct) answers "what does my GOPROXY do"; the pairs are there on request.
  const first = primaryChains(probe);
  const shown = showAll ? chains : first;
  const working = chains.filter((c) => c.result === "ok").length;
  return (
    <>
      <section aria-labelledby="advice-title" className="doctor-block" data-testid="goproxy-advice">
        <h3 id="advice-title">{t("doctor.advice.title")}</h3>
        <div className="advice">
          <pre className="command" data-testid="advice-command">
            {command}
          </pre>
          <CopyButton label={t("doctor.advice.copy")} text={() => command} testId="copy-advice" />
        </div>
        <p data-testid="advice-reason">{advice.reason}</p>
      </section>
      <section aria-labelledby="chains-title" className="doctor-block">
        <h3 id="chains-title">{t("doctor.chains.title")}</h3>
        <p className="muted small">
          {t("doctor.chains.help", { subject })} {t("doctor.chains.count", { working, total: chains.length })}
        </p>
        <div className="table-scroll">
          <table className="chains" data-testid="chains">
            <thead>
              <tr>
                <th scope="col">{t("doctor.chains.goproxy")}</th>
                <th scope="col">{t("doctor.chains.result")}</th>
                <th scope="col">{t("doctor.chains.servedBy")}</th>
                <th scope="col">{t("doctor.chains.error")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((chain) => (
                <ChainRow key={chain.goproxy} chain={chain} advised={chain.goproxy === advice.goproxy} />
              ))}
            </tbody>
          </table>
        </div>
        {first.length < chains.length ? (
          <button type="button" className="secondary show-chains" onClick={() => setShowAll(!showAll)} aria-expanded={showAll} data-testid="show-all-chains">
            {showAll ? t("doctor.chains.showFewer") : t("doctor.chains.showAll", { count: chains.length })}
          </button>
        ) : null}
      </section>
    </>
  );
}
