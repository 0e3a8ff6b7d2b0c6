import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { I18nProvider } from "@/lib/i18n";
import { getServerT } from "@/lib/i18n/server";
import { LanguageSwitch } from "./language-switch";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "mirrorlag", template: "%s · mirrorlag" },
  description: "What each Go module proxy mirror serves, and when it picked up each version and retraction.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, t } = await getServerT();
  return (
    <html lang={locale}>
      <body>
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
