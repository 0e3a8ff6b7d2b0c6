"use client";

import { createContext, useCallback, useContext } from "react";
import type { ReactNode } from "react";
import type { Locale } from "./locales";
import { translate } from "./messages";
import type { MessageKey } from "./messages";

const LocaleContext = createContext<Locale>("en");

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

/** Client-side `t`: the catalog is small, so it ships whole instead of per-page subsets. */
export function useT() {
  const locale = useLocale();
  return useCallback((key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params), [locale]);
}
