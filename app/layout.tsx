import type { Metadata } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import Link from "next/link";
import { I18nProvider } from "@/lib/i18n";
import { getServerT } from "@/lib/i18n/server";
import { NONCE_HEADER } from "@/lib/security-headers";
import { LanguageSwitch } from "./language-switch";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "mirrorlag", template: "%s · mirrorlag" },
  description: "What each Go module proxy mirror serves, and when it picked up each version and retraction.",
};

// "/" focuses the search box: a plain script in the document, so it works from the first paint, before hydration.
const SLASH_FOCUSES_SEARCH = `document.addEventListener("keydown", function (e) {
  var t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
  var box = document.getElementById("module-search");
  if (e.key === "/" && !typing && !e.metaKey && !e.ctrlKey && !e.altKey && box) { e.preventDefault(); box.focus(); }
});`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, t } = await getServerT();
  // The page's Content-Security-Policy allows inline scripts by this request's nonce only (proxy.ts).
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang={locale}>
      <body>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: SLASH_FOCUSES_SEARCH }} />
        <I18nProvider locale={locale}>
          <Providers>
          <header className="site-header">
            <div className="wrap">
              <Link href="/" className="brand">
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src="/icon.svg" alt="" width={22} height={22} />
                mirrorlag
              </Link>
              <span className="muted small">{t("app.tagline")}</span>
              <span className="spacer" />
              <Link href="/operator" className="small muted" data-testid="operator-link">
                {t("operator.title")}
              </Link>
              <LanguageSwitch />
            </div>
          </header>
          <main className="wrap">{children}</main>
          </Providers>
        </I18nProvider>
      </body>
    </html>
  );
}
