// The running instance's JSON API as the CLI calls it (--server URL): one request at a time, a bounded wait for
// each, 429 answered by waiting out Retry-After. A refused connection or an answer that is not the API's JSON is
// "unreachable" (exit 3); a 4xx with the API's {"error"} is the server's verdict on our input (exit 2).

import { CliError, EXIT } from "./exit-codes";

export type ApiAnswer = { status: number; body: Record<string, unknown> };

export type ApiClient = {
  readonly base: string;
  get(path: string): Promise<ApiAnswer>;
  post(path: string, body: unknown): Promise<ApiAnswer>;
};

/** Longer than any answer the API gives (POST /api/probes waits for the probe: mirrors may take their timeout). */
const REQUEST_TIMEOUT_MS = 120_000;
/** 429s waited out in a row before giving up; each wait is the server's Retry-After, at most a minute. */
const MAX_RATE_LIMITED = 5;

/** `http://host:port/prefix` as given, without a trailing slash; anything else is a usage error. */
export function parseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(EXIT.usage, `--server: "${raw}" is not a URL (e.g. http://localhost:3000)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(EXIT.usage, `--server: "${raw}" must be an http or https URL`);
  return url.href.replace(/\/+$/, "");
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}

export function createApiClient(base: string, options: { sleep?: (ms: number) => Promise<void>; onWait?: (line: string) => void; fetch?: typeof fetch } = {}): ApiClient {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function call(method: "GET" | "POST", path: string, body?: unknown): Promise<ApiAnswer> {
    const url = `${base}${path}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers: { accept: "application/json", "accept-language": "en", ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw new CliError(EXIT.unreachable, `cannot reach ${base}: ${causeOf(error)}`);
      }
      const text = await response.text().catch(() => "");
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not the API's JSON: a proxy's error page, another service on that port.
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new CliError(EXIT.unreachable, `${method} ${url} answered ${response.status} without the API's JSON (is ${base} a mirrorlag server?)`);
      }
      if (response.status === 429 && attempt < MAX_RATE_LIMITED) {
        const seconds = Math.min(60, Math.max(1, Number(response.headers.get("retry-after")) || 5));
        options.onWait?.(`server: rate limited, retrying in ${seconds}s`);
        await sleep(seconds * 1000);
        continue;
      }
      return { status: response.status, body: parsed as Record<string, unknown> };
    }
  }

  return { base, get: (path) => call("GET", path), post: (path, body) => call("POST", path, body) };
}

/** The API's {"error"} sentence of a 4xx/5xx answer. */
export function apiError(answer: ApiAnswer): string {
  return typeof answer.body.error === "string" ? answer.body.error : `HTTP ${answer.status}`;
}
