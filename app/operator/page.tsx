import type { Metadata } from "next";
import { connection } from "next/server";
import { getServerT } from "@/lib/i18n/server";
import type { MessageKey } from "@/lib/i18n";
import { currentOperator, logBuffer, operatorMode, operatorPolicy, parseLogQuery, recentLogs } from "@/lib/server";
import { OperatorLogs, PAGE_ROWS } from "./operator-logs";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "operator" };

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? (value[0] ?? null) : (value ?? null));

/** /operator: how this instance recognises its operator, whether this request is it, the sign-in form, and (for the operator only) the recent requests and errors. */
export default async function OperatorPage({ searchParams }: PageProps) {
  await connection();
  const { t } = await getServerT();
  const mode = operatorMode(operatorPolicy());
  const access = await currentOperator();
  const params = await searchParams;
  const query = parseLogQuery({ get: (name) => (name === "status" ? single(params.status) : null) });
  const logs = access.operator ? recentLogs(logBuffer(), { status: query.ok ? query.value.status : "all", limit: PAGE_ROWS }) : null;
  const modeKey: MessageKey = mode === "token" ? "operator.modeToken" : mode === "loopback" ? "operator.modeLoopback" : "operator.modeDisabled";
  return (
    <>
      <section className="panel" data-testid="operator-page" data-mode={mode} data-operator={access.operator}>
        <h1>{t("operator.title")}</h1>
        <p className="muted small">{t("operator.help")}</p>
        <p className={mode === "disabled" ? "banner banner-bad" : ""} data-testid="operator-mode">
          {t(modeKey)}
        </p>
        <p data-testid="operator-status">{access.operator ? t("operator.youAre", { via: t(`operator.via.${access.via}`) }) : t("operator.youAreNot")}</p>
        {mode === "token" ? <SignInForm signedIn={access.operator && access.via === "session"} /> : null}
      </section>
      {logs ? <OperatorLogs t={t} {...logs} status={query.ok ? query.value.status : "all"} filterError={query.ok ? null : query.error} lang={single(params.lang)} /> : null}
    </>
  );
}
