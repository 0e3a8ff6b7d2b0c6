import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getServerT } from "@/lib/i18n/server";
import { formatUtc, modulePageHref } from "@/lib/web";
import { currentOperator, getService } from "@/lib/server";
import { SearchBox } from "../../search-box";
import { CheckNowButton } from "./check-now-button";
import { ModuleView } from "./module-view";
import { parseModulePageUrl } from "./search-params";
import { VersionPage } from "./version-page";

type PageProps = { params: Promise<{ module: string[] }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params, searchParams }: PageProps): Promise<Metadata> {
  const parsed = parseModulePageUrl((await params).module, await searchParams);
  if (!parsed.ok) return { title: "invalid module path" };
  const { module, version } = parsed.state;
  return { title: version ? `${module}@${version}` : module };
}

export default async function ModulePage({ params, searchParams }: PageProps) {
  await connection();
  const { locale, t } = await getServerT();
  const parsed = parseModulePageUrl((await params).module, await searchParams);
  if (!parsed.ok) {
    return (
      <section className="panel" data-testid="invalid-path">
        <h1>{t("module.invalid")}</h1>
        <p className="field-error" role="alert">
          {parsed.error}
        </p>
        <SearchBox initial={parsed.raw} />
      </section>
    );
  }
  const { module, version, at } = parsed.state;
  if (version) return <VersionPage state={{ ...parsed.state, version }} locale={locale} t={t} />;
  const result = await getService().timeline(module, at ?? undefined, { page: 1 });
  if (!result.ok) {
    if (result.code === "unknown_check") {
      return (
        <section className="panel">
          <h1>{module}</h1>
          <p className="field-error" role="alert">
            {t("module.unknownCheck", { id: String(at) })}
          </p>
          <Link href={modulePageHref(module)}>{t("module.asOfLive")}</Link>
        </section>
      );
    }
    return (
      <section className="panel" data-testid="unknown-module">
        <h1>{module}</h1>
        <p>{t("module.notChecked", { module })}</p>
        <CheckNowButton module={module} label={t("module.checkIt")} mode="refresh" />
      </section>
    );
  }
  const operator = (await currentOperator()).operator;
  // As it stood before this view: the view itself is interest, and resumes an expired module's polling.
  const { polling } = result;
  await getService().noteInterest(module);
  return (
    <>
      {polling.kind === "expired" ? (
        <p className="banner" role="status" data-testid="expired-notice">
          {t("growth.expired", { since: formatUtc(polling.since), days: polling.days })}
        </p>
      ) : null}
      <ModuleView module={module} version={null} at={at} initial={result.timeline} newest={result.newest} watched={result.watched} operator={operator} />
    </>
  );
}
