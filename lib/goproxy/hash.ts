// The "h1:" checksums of go.sum and sum.golang.org: golang.org/x/mod/sumdb/dirhash Hash1, HashZip
// and the go.mod hash (one file named "go.mod").

import { createHash } from "node:crypto";
import { readZipEntries, readZipEntryData } from "./zip-reader";

export type HashFile = { name: string; content: Uint8Array | string };

type RawFile = { name: Uint8Array; content: Uint8Array };

const utf8 = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * dirhash.Hash1: sort names as bytes (Go's sort.Strings; JS string order differs for astral
 * characters), write `hex(sha256(content)) + "  " + name + "\n"` per file, then
 * "h1:" + base64(sha256(summary)).
 */
function hash1(files: RawFile[]): string {
  return hash1FromDigests(files.map((f) => ({ name: f.name, sha256Hex: createHash("sha256").update(f.content).digest("hex") })));
}

/** Hash1 from each file's name bytes and hex SHA-256, for callers that hash contents as they stream. */
export function hash1FromDigests(files: readonly { name: Uint8Array; sha256Hex: string }[]): string {
  const sorted = [...files].sort((a, b) => compareBytes(a.name, b.name));
  const summary = createHash("sha256");
  for (const f of sorted) {
    if (f.name.includes(0x0a)) throw new Error("dirhash: filenames with newlines are not supported");
    summary.update(`${f.sha256Hex}  `);
    summary.update(f.name);
    summary.update("\n");
  }
  return "h1:" + summary.digest("base64");
}

const toBytes = (x: Uint8Array | string) => (typeof x === "string" ? utf8.encode(x) : x);

/** dirhash.Hash1 over named contents (strings are hashed as UTF-8). */
export function hashFiles(files: readonly HashFile[]): string {
  return hash1(files.map((f) => ({ name: utf8.encode(f.name), content: toBytes(f.content) })));
}

/** The go.sum "/go.mod" hash: Hash1 of a single file named "go.mod" holding exactly the served bytes. */
export function hashGoMod(bytes: Uint8Array | string): string {
  return hash1([{ name: utf8.encode("go.mod"), content: toBytes(bytes) }]);
}

/**
 * dirhash.HashZip: Hash1 over every entry, names with their `module@version/` prefix. As in Go, a
 * name repeated in the zip is listed once per entry and hashed with the last entry's content.
 */
export function hashZip(bytes: Uint8Array): string {
  const entries = readZipEntries(bytes);
  const key = (name: Uint8Array) => Buffer.from(name).toString("latin1");
  const lastByName = new Map(entries.map((e) => [key(e.nameBytes), e]));
  const contents = new Map<string, Uint8Array>();
  for (const [k, e] of lastByName) contents.set(k, readZipEntryData(bytes, e));
  return hash1(entries.map((e) => ({ name: e.nameBytes, content: contents.get(key(e.nameBytes))! })));
}
