import type { MessageKey } from "@/lib/i18n";
import { STATUS_CLASSES } from "@/lib/server";
import type { LoggedError, LoggedRequest, StatusClass } from "@/lib/server";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Rows the page renders at most; GET /api/operator/logs gives all that are kept. */
export const PAGE_ROWS = 200;

/** "12-04 19:28:53", the date part hidden on narrow screens (the full time is in the title). */
function ShortTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso}>
      <span className="log-date">{iso.slice(5, 10)} </span>
      {iso.slice(11, 19)}
    </time>
  );
}

function statusTone(status: number): string {
  return status >= 500 ? "log-status-bad" : status >= 400 ? "log-status-warn" : "";
}

/**
 * The operator's recent requests and errors (server-rendered, so a visitor who is not the operator receives none of
 * it): the status-class filter is a plain link, `lang` carried along.
 */
export function OperatorLogs(props: { t: T; requests: LoggedRequest[]; errors: LoggedError[]; kept: { requests: number; errors: number }; status: StatusClass; filterError: string | null; lang: string | null }) {
  const { t, requests, errors, kept, status } = props;
  const href = (s: StatusClass) => {
    const query = new URLSearchParams();
    if (s !== "all") query.set("status", s);
    if (props.lang) query.set("lang", props.lang);
    const text = query.toString();
    return text === "" ? "/operator" : `/operator?${text}`;
  };
  return (
    <section className="panel operator-logs" data-testid="operator-logs">
      <h2>{t("operator.logs.requests")}</h2>
      <p className="muted small">{t("operator.logs.help", { requests: kept.requests, errors: kept.errors })}</p>
      {props.filterError ? (
        <p className="banner" data-testid="log-filter-error">
          {t("operator.logs.badFilter", { error: props.filterError })}
        </p>
      ) : null}
      <nav className="log-filter" aria-label={t("operator.logs.filter")}>
        <span className="muted small">{t("operator.logs.filter")}:</span>
        {STATUS_CLASSES.map((s) => (
          <a key={s} href={href(s)} aria-current={s === status ? "true" : undefined} data-testid={`log-filter-${s}`}>
            {s === "all" ? t("operator.logs.all") : s}
          </a>
        ))}
      </nav>
      {requests.length === 0 ? (
        <p className="muted" data-testid="log-requests-empty">
          {status === "all" ? t("operator.logs.empty") : t("operator.logs.emptyClass", { status })}
        </p>
      ) : (
        <>
          <table className="log-table" data-testid="log-requests">
            <thead>
              <tr>
                <th scope="col">{t("operator.logs.time")}</th>
                <th scope="col">{t("operator.logs.client")}</th>
                <th scope="col">{t("operator.logs.method")}</th>
                <th scope="col">{t("operator.logs.status")}</th>
                <th scope="col" className="num">
                  {t("operator.logs.ms")}
                </th>
                <th scope="col">{t("operator.logs.path")}</th>
              </tr>
            </thead>
            <tbody>
              {requests.slice(0, PAGE_ROWS).map((r, i) => (
                <tr key={`${r.time}-${i}`} data-testid="log-request" data-status={r.status} data-client={r.client} data-path={r.path}>
                  <td className="log-time">
                    <ShortTime iso={r.time} />
                  </td>
                  <td className="log-client">{r.client}</td>
                  <td className="log-method">{r.method}</td>
                  <td className={`log-code ${statusTone(r.status)}`}>{r.status}</td>
                  <td className="log-ms num">{r.ms}</td>
                  <td className="log-path">{r.path}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{t("operator.logs.shown", { shown: Math.min(requests.length, PAGE_ROWS), kept: kept.requests })}</p>
        </>
      )}
      <h2>{t("operator.logs.errors")}</h2>
      <p className="muted small">{t("operator.logs.errorsHelp")}</p>
      {errors.length === 0 ? (
        <p className="muted" data-testid="log-errors-empty">
          {t("operator.logs.errorsEmpty")}
        </p>
      ) : (
        <table className="log-table log-errors" data-testid="log-errors">
          <thead>
            <tr>
              <th scope="col">{t("operator.logs.time")}</th>
              <th scope="col">{t("operator.logs.client")}</th>
              <th scope="col">{t("operator.logs.method")}</th>
              <th scope="col">{t("operator.logs.source")}</th>
              <th scope="col">{t("operator.logs.path")}</th>
              <th scope="col">{t("operator.logs.message")}</th>
            </tr>
          </thead>
          <tbody>
            {errors.slice(0, PAGE_ROWS).map((e, i) => (
              <tr key={`${e.time}-${i}`} data-testid="log-error">
                <td className="log-time">
                  <ShortTime iso={e.time} />
                </td>
                <td className="log-client">{e.client ?? "–"}</td>
                <td className="log-method">{e.method ?? "–"}</td>
                <td className="log-code">{e.source}</td>
                <td className="log-path">{e.path ?? "–"}</td>
                <td className="log-message">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
