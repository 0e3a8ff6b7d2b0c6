import "server-only";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, negotiateLocale } from "./locales";
import type { Locale } from "./locales";
import { translate } from "./messages";
import type { MessageKey } from "./messages";
import { LANG_QUERY_HEADER } from "./server-header";

export async function getRequestLocale(): Promise<Locale> {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  return negotiateLocale({
    query: headerStore.get(LANG_QUERY_HEADER),
    cookie: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerStore.get("accept-language"),
  });
}

export async function getServerT() {
  const locale = await getRequestLocale();
  return { locale, t: (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params) };
}
