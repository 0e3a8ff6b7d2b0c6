import Link from "next/link";
import { connection } from "next/server";
import { getServerT } from "@/lib/i18n/server";
import { getService } from "@/lib/server";
import { resolvePageHref } from "@/lib/web";
import { DoctorExamples } from "./doctor-examples";
import { MirrorHealthSection } from "./mirror-health";
import { HomeEmpty, RecentChecks } from "./recent-checks";
import { SearchBox } from "./search-box";
import { GrowthNotice, WatchedModules } from "./watched-modules";

export default async function HomePage() {
  // Reads the database on every request: never prerendered at build time.
  await connection();
  const { locale, t } = await getServerT();
  const service = getService();
  const home = await service.home();
  return (
    <div className="home">
      <section className="panel home-search">
        <h1>{t("search.label")}</h1>
        <SearchBox />
        <p className="muted small">{t("search.hint")}</p>
        <p className="muted small">{t("search.doctorHint")}</p>
        <p className="small home-resolve">
          <Link href={resolvePageHref(null)} data-testid="home-resolve-link">
            {t("resolve.homeLink")}
          </Link>{" "}
          <span className="muted">{t("resolve.homeHint")}</span>
        </p>
      </section>
      <GrowthNotice growth={home.growth} t={t} />
      <DoctorExamples examples={service.config.doctorExamples} t={t} />
      {home.recent.length === 0 ? (
        <HomeEmpty mirrors={home.mirrors.map((m) => m.name)} reference={home.reference} t={t} />
      ) : (
        <>
          <MirrorHealthSection home={home} locale={locale} t={t} />
          <RecentChecks recent={home.recent} now={home.now} locale={locale} t={t} />
          <WatchedModules watched={home.watched} total={home.watchedCount} growth={home.growth} now={home.now} locale={locale} t={t} />
        </>
      )}
    </div>
  );
}
