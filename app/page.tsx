import { getServerT } from "@/lib/i18n/server";
import { SearchBox } from "./search-box";

export default async function HomePage() {
  const { t } = await getServerT();
  return (
    <section className="panel">
      <h1>{t("search.label")}</h1>
      <SearchBox />
      <p className="muted small">{t("search.hint")}</p>
    </section>
  );
}
