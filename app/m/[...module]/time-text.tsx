"use client";

import { useLocale } from "@/lib/i18n";
import { formatRelative, formatUtc } from "@/lib/web";
import { useClientMinute } from "@/lib/web/react";

/** A time shown relative ("5 min ago") with the absolute UTC time on hover; re-rendered each minute. */
export function TimeText({ iso }: { iso: string }) {
  const locale = useLocale();
  const minute = useClientMinute();
  // Until hydrated, show the absolute time: server and browser clocks differ, relative text would not hydrate.
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {minute !== null ? formatRelative(iso, new Date(minute), locale) : formatUtc(iso)}
    </time>
  );
}
