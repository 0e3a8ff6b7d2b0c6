// Typed access to xmod-test-vectors.json (transcribed from golang/mod and golang/go sources) for tests.

import { readFileSync } from "node:fs";

type Interval = { low: string; high: string; rationale: string };

export type XmodVectors = {
  escapePath: { items: { in: string; out: string; wire?: string; src: string }[] };
  escapeVersion: { items: { in: string; out: string }[] };
  unescapePathInvalid: { items: string[] };
  escapePathInvalid: { items: string[] };
  checkPath: {
    items: { in: string; inBytesHex?: string; checkPath: boolean; checkImportPath: boolean; checkFilePath: boolean }[];
  };
  check: { items: { path: string; version: string; ok: boolean }[] };
  splitPathVersion: { items: { in: string; prefix: string; pathMajor: string; ok: boolean }[] };
  matchPathMajor: { items: { version: string; pathMajor: string; match: boolean }[] };
  semverValid: { items: { in: string; canonical: string; valid: boolean }[] };
  semverCompare: { sorted: string[] };
  pseudo: { items: { pseudoVersion: string; older: string; isPseudo: boolean; olderIsPseudo: boolean }[] };
  retractRationale: { items: { desc: string; gomod: string; rationale: string }[] };
  moduleDeprecated: { items: { desc: string; gomod: string; deprecated: string }[] };
  addRetract: { items: { desc: string; in: string; low: string; high: string; rationale: string; out: string }[] };
  dropRetract: { items: { desc: string; in: string; low: string; high: string; out: string }[] };
  retractFormat: { in: string; out: string; intervals: [string, string][] };
  retract: {
    items: {
      module: string;
      gomodOfLatest: string;
      latestVersion?: string;
      highestVersion?: string;
      allVersions?: string[];
      versions?: string[];
      retracted?: Interval[];
      expect?: Record<string, unknown>;
    }[];
  };
  hash1: {
    items: {
      files?: Record<string, string>;
      zipEntries?: Record<string, string>;
      summary?: string;
      h1?: string;
      expectError?: string;
      module?: string;
      version?: string;
      goModH1?: string;
    }[];
  };
};

export const vectors = JSON.parse(
  readFileSync(new URL("./xmod-test-vectors.json", import.meta.url), "utf8"),
) as XmodVectors;

/** Decodes a vector's raw bytes the way a JS caller would receive them (invalid UTF-8 → U+FFFD). */
export function vectorString(item: { in: string; inBytesHex?: string }): string {
  if (item.inBytesHex === undefined) return item.in;
  return new TextDecoder().decode(Buffer.from(item.inBytesHex, "hex"));
}
