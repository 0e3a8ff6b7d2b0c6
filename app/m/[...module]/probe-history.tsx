"use client";

import Link from "next/link";
import { useT } from "@/lib/i18n";
import { formatUtc } from "@/lib/web";

export type ProbeLink = { id: number; at: string; fetch: boolean; href: string };

/** Earlier probes of this version, newest first: each one a permalink. */
export function ProbeHistory({ probes, current }: { probes: ProbeLink[]; current: number | null }) {
  const t = useT();
  if (probes.length === 0) return null;
  return (
    <details className="probe-history" data-testid="probe-history" open={current === null}>
      <summary>
        {t("doctor.recent.title")} ({probes.length})
      </summary>
      <ol>
        {probes.map((p) => (
          <li key={p.id}>
            {p.id === current ? (
              <span aria-current="page">
                #{p.id} · {formatUtc(p.at)} · {t(p.fetch ? "doctor.modeFetching" : "doctor.modePassive")} ({t("doctor.recent.shown")})
              </span>
            ) : (
              <Link href={p.href}>
                #{p.id} · {formatUtc(p.at)} · {t(p.fetch ? "doctor.modeFetching" : "doctor.modePassive")}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}
