// Raw HTTP GET for tests: reports truncated bodies and resets instead of throwing them away.
import { request } from "node:http";
import type { IncomingHttpHeaders } from "node:http";

export type RawResponse = {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** false when the body ended before Content-Length. */
  complete: boolean;
  /** Set when the connection failed (reset, timeout) before or during the answer. */
  error?: string;
};

export function rawGet(url: string, options: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let settled = false;
    const finish = (complete: boolean, error?: string): void => {
      if (settled) return;
      settled = true;
      const body = Buffer.concat(chunks);
      resolve({ status, headers, body, text: body.toString("utf8"), complete, ...(error !== undefined ? { error } : {}) });
    };
    const req = request(url, { headers: options.headers ?? {}, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => finish(res.complete));
      res.on("aborted", () => finish(false, "aborted"));
      res.on("error", (e) => finish(false, (e as NodeJS.ErrnoException).code ?? e.message));
      res.on("close", () => finish(res.complete));
    });
    req.on("error", (e) => finish(false, (e as NodeJS.ErrnoException).code ?? e.message));
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => {
        req.destroy();
        finish(false, "timeout");
      });
    }
    req.end();
  });
}
