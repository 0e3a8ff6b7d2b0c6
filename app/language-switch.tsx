"use client";

import { useRouter } from "next/navigation";
import { LOCALE_COOKIE, LOCALES, useLocale, useT } from "@/lib/i18n";
import type { Locale } from "@/lib/i18n";

const LABELS: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

function saveLocale(locale: Locale): void {
  document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
}

/** Saves the choice in a cookie, so links shared from this browser do not carry the language along. */
export function LanguageSwitch() {
  const locale = useLocale();
  const t = useT();
  const router = useRouter();
  const choose = (next: Locale) => {
    saveLocale(next);
    const url = new URL(window.location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.delete("lang");
      router.replace(url.pathname + url.search);
    }
    router.refresh();
  };
  return (
    <div className="lang-switch" role="group" aria-label={t("nav.language")}>
      {LOCALES.map((candidate) => (
        <button key={candidate} type="button" aria-pressed={candidate === locale} lang={candidate} onClick={() => choose(candidate)}>
          {LABELS[candidate]}
        </button>
      ))}
    </div>
  );
}
