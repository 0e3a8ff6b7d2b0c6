import { request as httpRequest } from "node:http";

export type LoopbackAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * One HTTP request from a chosen loopback source address (127.0.0.2, 127.0.0.3, … are all loopback on Linux): a
 * distinct TCP peer per address, as distinct clients are to an app without TRUST_PROXY.
 */
export function requestFrom(from: string, port: number, method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<LoopbackAnswer> {
  const body = json === undefined ? "" : JSON.stringify(json);
  const sent = json === undefined ? headers : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, localAddress: from, headers: sent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Statuses counted, e.g. {"200": 100, "429": 20}: the figure an abuse test prints. */
export function statusCounts(statuses: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[String(s)] = (counts[String(s)] ?? 0) + 1;
  return counts;
}
