"use client";

import type { ReactNode } from "react";
import { useT } from "@/lib/i18n";
import type { MessageKey } from "@/lib/i18n";
import type { ProbeDto, ProbeMirrorDto, ProbeStep } from "@/lib/doctor";
import { goErrorThrough } from "@/lib/report";
import { formatBytes, formatUtc } from "@/lib/web";
import { MirrorName } from "./mirror-name";
import type { MirrorColour } from "./mirror-name";

type T = ReturnType<typeof useT>;

/** The answer cell: the HTTP status when there was one, else what happened instead. */
function answerText(step: ProbeStep, t: T): string {
  if (step.outcome === "skipped") return t("doctor.step.skipped");
  if (step.status !== null) return String(step.status);
  if (step.reason) return t(`doctor.reason.${step.reason}` as MessageKey);
  return t(`outcome.${step.outcome}` as MessageKey);
}

function outcomeClass(step: ProbeStep, harmless: boolean): string {
  if (step.outcome === "ok") return "ok";
  if (step.outcome === "skipped" || harmless) return "muted";
  return "bad";
}

function H1({ h1, recorded, db, t }: { h1: string | null; recorded: string | null; db: string | null; t: T }) {
  if (!h1) return null;
  const verdict = recorded && db ? (h1 === recorded ? "match" : "differ") : "unverified";
  return (
    <span className="h1-line">
      <code className="h1">{h1}</code>{" "}
      <span className={verdict === "match" ? "ok" : verdict === "differ" ? "bad" : "muted"} data-h1={verdict}>
        {verdict === "match" ? `✓ ${t("doctor.h1Matches", { db: db ?? "" })}` : verdict === "differ" ? `✗ ${t("doctor.h1Differs", { db: db ?? "" })}` : t("doctor.h1Unverified")}
      </span>
    </span>
  );
}

function Steps({ probe, mirror, goText, t }: { probe: ProbeDto; mirror: ProbeMirrorDto; goText: string | null; t: T }) {
  // A step's own words (not-found body or error), unless the go command's text below already quotes them.
  const message = (step: ProbeStep) =>
    step.outcome !== "ok" && step.message && !goText?.includes(step.message.trim().split("\n")[0] ?? "") ? <pre className="message">{step.message}</pre> : null;
  const db = probe.sumdb.enabled && probe.sumdb.verified ? probe.sumdb.name : null;
  const { info, mod, zip, sumdb } = mirror;
  // A 404 from /supported is no failure: the go command then reads the checksum database elsewhere.
  const rows: { name: string; step: ProbeStep; detail: ReactNode; harmless?: boolean }[] = [
    { name: ".info", step: info, detail: info.time ? t("doctor.commitTime", { time: formatUtc(info.time) }) : message(info) },
    {
      name: ".mod",
      step: mod,
      detail: (
        <>
          <H1 h1={mod.h1} recorded={probe.sumdb.modH1} db={db} t={t} />
          {mod.modulePath && mod.modulePath !== probe.module ? <span className="bad">{t("doctor.declares", { path: mod.modulePath })}</span> : null}
          {message(mod)}
        </>
      ),
    },
    {
      name: ".zip",
      step: zip,
      detail: (
        <>
          <H1 h1={zip.h1} recorded={probe.sumdb.zipH1} db={db} t={t} />
          {zip.bytes !== null ? <span className="muted">{formatBytes(zip.bytes)}</span> : null}
          {message(zip)}
        </>
      ),
    },
    {
      name: t("doctor.step.sumdb"),
      // Which answer counts: /supported decides whether the go command asks this mirror's lookup at all.
      step: sumdb.supported.outcome === "not_found" ? sumdb.supported : sumdb,
      harmless: sumdb.supported.outcome === "not_found",
      detail:
        sumdb.supported.outcome === "not_found" ? (
          <span className="muted">{t("doctor.sumdbUnsupported")}</span>
        ) : !probe.mirrorSumdb ? (
          <span className="muted">{t("doctor.sumdbNotAsked")}</span>
        ) : sumdb.verified ? (
          <span className="ok">{t("doctor.sumdbVerified", { size: sumdb.treeSize ?? "—" })}</span>
        ) : (
          <>
            {sumdb.failure ? <span className="bad">{t("doctor.sumdbFailure", { failure: sumdb.failure })}</span> : null}
            {message(sumdb.outcome === "skipped" ? sumdb.supported : sumdb)}
          </>
        ),
    },
  ];
  return (
    <table className="steps">
      <colgroup>
        <col className="step-name" />
        <col className="step-answer" />
        <col className="step-latency" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t("doctor.step.request")}</th>
          <th scope="col">{t("doctor.step.answer")}</th>
          <th scope="col">{t("module.latency")}</th>
          <th scope="col">{t("doctor.step.detail")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <th scope="row" className="mono">
              {row.name}
            </th>
            <td className={`mono ${outcomeClass(row.step, row.harmless ?? false)}`}>{answerText(row.step, t)}</td>
            <td className="mono muted">{row.step.latencyMs === null ? "—" : `${row.step.latencyMs} ms`}</td>
            <td className="step-detail">
              {row.detail}
              {row.step.finalUrl ? (
                <span className="muted small redirected" data-testid="redirected">
                  {t("doctor.redirectedTo", { url: row.step.finalUrl })}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One row per mirror: its verdict, the doctor's sentence, and the evidence the sentence rests on. */
export function DoctorRows({ probe, highlight, colour }: { probe: ProbeDto; highlight: string | null; colour: MirrorColour }) {
  const t = useT();
  return (
    <ol className="doctor-rows" aria-label={t("doctor.rows")} data-testid="doctor-rows">
      {probe.mirrorOrder.map((name) => {
        const mirror = probe.mirrors[name];
        if (!mirror) return null;
        const goText = goErrorThrough(probe, name);
        const highlighted = name === highlight;
        return (
          <li
            key={name}
            className={`doctor-row verdict-${mirror.verdict}${highlighted ? " highlighted" : ""}`}
            data-testid="doctor-row"
            data-mirror={name}
            data-verdict={mirror.verdict}
            data-diagnosis={mirror.diagnosis.code}
            aria-current={highlighted ? "true" : undefined}
          >
            <div className="doctor-row-head">
              <MirrorName name={name} colour={colour(name)} reference={mirror.isReference} />
              <span className={`verdict-badge verdict-${mirror.verdict}`} data-testid="verdict">
                {t(`doctor.verdict.${mirror.verdict}`)}
              </span>
              <span className="tag" title={t(probe.fetch ? "doctor.modeFetchingHelp" : "doctor.modePassiveHelp")}>
                {t(probe.fetch ? "doctor.modeFetching" : "doctor.modePassive")}
              </span>
              {highlighted ? <span className="tag tag-accent">{t("doctor.mirrorFromError")}</span> : null}
              <span className="mono small muted base-url">{mirror.baseUrl}</span>
            </div>
            <p className="diagnosis" data-testid="diagnosis">
              {mirror.diagnosis.text}
            </p>
            <div className="steps-scroll">
              <Steps probe={probe} mirror={mirror} goText={goText} t={t} />
            </div>
            {goText ? (
              <details className="go-says" open={mirror.verdict !== "ok"}>
                <summary className="small">{t("doctor.goSays")}</summary>
                <pre data-testid="go-error">{goText}</pre>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
