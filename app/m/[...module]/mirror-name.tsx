"use client";

import { useT } from "@/lib/i18n";

/** Which colour a mirror gets everywhere on the page (a class, see mirrorColour): its position in the configured list. */
export type MirrorColour = (mirror: string) => string;

export function MirrorName({ name, colour, reference }: { name: string; colour: string; reference?: boolean }) {
  const t = useT();
  return (
    <span className="mirror-name">
      <span className={`dot ${colour}`} aria-hidden="true" />
      {name}
      {reference ? <span className="tag">{t("module.reference")}</span> : null}
    </span>
  );
}

/** The server's own words, on hover and on expand (touch screens have no hover). */
export function Why({ message }: { message: string }) {
  return (
    <details className="why">
      <summary title={message} aria-label={message}>
        ?
      </summary>
      <pre>{message}</pre>
    </details>
  );
}
