import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getServerT } from "@/lib/i18n/server";
import { getService } from "@/lib/server";
import { resolvePageHref } from "@/lib/web";
import { ResolveForm } from "./resolve-form";
import { ResolutionView } from "./resolution-view";
import { parseResolvePageUrl } from "./search-params";

type PageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ searchParams }: PageProps): Promise<Metadata> {
  const parsed = parseResolvePageUrl(await searchParams);
  const { t } = await getServerT();
  return { title: parsed.ok && parsed.state.id !== null ? t("resolve.resultTitle", { id: parsed.state.id }) : t("resolve.pageTitle") };
}

/** /resolve: the go.mod form; /resolve?id=<id>: that resolution's permalink, first painted here, then polled. */
export default async function ResolvePage({ searchParams }: PageProps) {
  // Reads the database on every request: never prerendered at build time.
  await connection();
  const { locale, t } = await getServerT();
  const parsed = parseResolvePageUrl(await searchParams);
  if (!parsed.ok || parsed.state.id === null) {
    return (
      <section className="panel resolve-intro" data-testid="resolve-intro">
        <h1>{t("resolve.title")}</h1>
        <p className="muted small">{t("resolve.help")}</p>
        {parsed.ok ? null : (
          <p className="banner banner-bad" role="alert" data-testid="resolve-invalid-id">
            {t("resolve.invalidId", { id: parsed.raw })}
          </p>
        )}
        <ResolveForm lang={parsed.ok ? parsed.state.lang : null} />
      </section>
    );
  }
  const { id, lang } = parsed.state;
  const service = getService();
  const resolution = await service.resolution(id, locale);
  if (!resolution) {
    return (
      <section className="panel" data-testid="resolution-missing">
        <h1>{t("resolve.title")}</h1>
        <p className="field-error" role="alert">
          {t("resolve.notFound", { id })}
        </p>
        <Link href={resolvePageHref(null, { lang })}>{t("resolve.another")}</Link>
      </section>
    );
  }
  // The Markdown report is English; a finished resolution's English sentences come along with the first paint.
  const report = locale !== "en" && resolution.status !== "running" ? await service.resolution(id, "en") : null;
  // Keyed by the filters too: a link to this page with other filters starts from them, not from the last view.
  const { failing, direct } = parsed.state;
  return <ResolutionView key={`${id}/${failing}/${direct}`} initial={resolution} initialReport={report} initialFilters={{ failing, direct }} lang={lang} />;
}
