import Link from "next/link";
import { getServerT } from "@/lib/i18n/server";

/**
 * Our own 404 page: Next's built-in one styles itself with style="" attributes and an un-nonced <style>, which the
 * page's Content-Security-Policy refuses (and the browser then logs as violations).
 */
export default async function NotFound() {
  const { t } = await getServerT();
  return (
    <section className="not-found-page" data-testid="not-found-page">
      <h1>{t("notFound.title")}</h1>
      <p className="muted">{t("notFound.text")}</p>
      <p>
        <Link href="/">{t("notFound.home")}</Link>
      </p>
    </section>
  );
}
