"use client";

import { useT } from "@/lib/i18n";
import type { ProbeDto } from "@/lib/doctor";

/** The record every mirror's hashes are compared with: verified (and where it came from), or why there is none. */
export function SumdbLine({ sumdb }: { sumdb: ProbeDto["sumdb"] }) {
  const t = useT();
  const name = sumdb.name ?? "GOSUMDB";
  let text: string;
  let tone: "ok" | "warn";
  if (!sumdb.enabled) {
    text = t("doctor.sumdb.off");
    tone = "warn";
  } else if (sumdb.verified) {
    const source = sumdb.source === "direct" || sumdb.source === null ? t("doctor.sumdb.sourceDirect", { name }) : t("doctor.sumdb.sourceMirror", { mirror: sumdb.source });
    text = t("doctor.sumdb.verified", { name, modH1: sumdb.modH1 ?? "—", zipH1: sumdb.zipH1 ?? "—", size: sumdb.treeSize ?? "—", source });
    tone = "ok";
  } else {
    const reason = sumdb.message ?? sumdb.failure ?? sumdb.direct.message;
    text = reason ? t("doctor.sumdb.unverified", { name, message: reason }) : t("doctor.sumdb.unverifiedNoReason", { name });
    tone = "warn";
  }
  return (
    <section aria-labelledby="sumdb-title" className="doctor-block">
      <h3 id="sumdb-title">{t("doctor.sumdb.title")}</h3>
      <p className={`sumdb-line sumdb-${tone}`} data-testid="sumdb-line" data-verified={sumdb.verified ? "true" : "false"}>
        {text}
      </p>
    </section>
  );
}
