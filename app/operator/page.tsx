import type { Metadata } from "next";
import { connection } from "next/server";
import { getServerT } from "@/lib/i18n/server";
import type { MessageKey } from "@/lib/i18n";
import { currentOperator, operatorMode, operatorPolicy } from "@/lib/server";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "operator" };

/** /operator: how this instance recognises its operator, whether this request is it, and the sign-in form. */
export default async function OperatorPage() {
  await connection();
  const { t } = await getServerT();
  const mode = operatorMode(operatorPolicy());
  const access = await currentOperator();
  const modeKey: MessageKey = mode === "token" ? "operator.modeToken" : mode === "loopback" ? "operator.modeLoopback" : "operator.modeDisabled";
  return (
    <section className="panel" data-testid="operator-page" data-mode={mode} data-operator={access.operator}>
      <h1>{t("operator.title")}</h1>
      <p className="muted small">{t("operator.help")}</p>
      <p className={mode === "disabled" ? "banner banner-bad" : ""} data-testid="operator-mode">
        {t(modeKey)}
      </p>
      <p data-testid="operator-status">{access.operator ? t("operator.youAre", { via: t(`operator.via.${access.via}`) }) : t("operator.youAreNot")}</p>
      {mode === "token" ? <SignInForm signedIn={access.operator && access.via === "session"} /> : null}
    </section>
  );
}
