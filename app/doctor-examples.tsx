import Link from "next/link";
import { versionPageHref } from "@/lib/web";
import type { MessageKey } from "@/lib/i18n";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** "Try the doctor": versions the operator (the demo) staged, each opening the version page with a fresh probe. */
export function DoctorExamples({ examples, t }: { examples: { module: string; version: string }[]; t: T }) {
  if (examples.length === 0) return null;
  return (
    <section aria-labelledby="doctor-examples-title" className="panel home-section" data-testid="doctor-examples">
      <h2 id="doctor-examples-title">{t("home.doctor.title")}</h2>
      <p className="muted small">{t("home.doctor.help")}</p>
      <ul className="doctor-examples">
        {examples.map((e) => (
          <li key={`${e.module}@${e.version}`}>
            <Link href={versionPageHref(e.module, e.version, { run: true })}>
              <code>
                {e.module}@{e.version}
              </code>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
