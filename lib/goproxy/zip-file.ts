// A module zip on disk, checked and hashed the way the go command treats a downloaded zip: the name and size
// rules of golang.org/x/mod/zip checkZip, then dirhash.HashZip. Entries are streamed through SHA-256 one at a
// time, so a 500 MiB zip costs a few buffers of memory, never the archive.

import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { readSync } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createInflateRaw, crc32 } from "node:zlib";
import { hash1FromDigests } from "./hash";
import { checkFilePath } from "./module-path";
import { ZIP_TAIL_BYTES, locateZipDirectory, parseZipDirectory } from "./zip-reader";
import type { ZipEntry } from "./zip-reader";

const MiB = 1024 * 1024;
/** x/mod/zip limits. */
export const MAX_ZIP_FILE = 500 * MiB;
export const MAX_GO_MOD = 16 * MiB;
export const MAX_LICENSE = 16 * MiB;
// A central directory this large would describe millions of files: refuse before buffering it.
const MAX_DIRECTORY_BYTES = 64 * MiB;

export type ZipFileHash = { h1: string; files: number; uncompressedBytes: number };

/** Thrown with the go command's words for a zip it would refuse (malformed archive or invalid module contents). */
export class ModuleZipError extends Error {
  override name = "ModuleZipError";
}

/**
 * Checks the zip at `path` as a module zip of `module@version` (x/mod/zip checkZip) and returns its `h1:` hash
 * (dirhash.HashZip: every entry, names with their prefix). Throws ModuleZipError for what the go command refuses.
 */
export async function hashModuleZipFile(path: string, module: string, version: string): Promise<ZipFileHash> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    if (size > MAX_ZIP_FILE) throw new ModuleZipError(`module zip file is too large (${size} bytes; limit is ${MAX_ZIP_FILE} bytes)`);
    const entries = readEntries(file, size);
    const uncompressedBytes = checkModuleZipEntries(entries, module, version);
    // As dirhash.HashZip: a repeated name is listed once per entry, hashed with the last entry's content.
    const key = (name: Uint8Array) => Buffer.from(name).toString("latin1");
    const lastByName = new Map(entries.map((e) => [key(e.nameBytes), e]));
    const digests = new Map<string, string>();
    for (const [k, e] of lastByName) digests.set(k, await hashEntry(file, size, e));
    const h1 = hash1FromDigests(entries.map((e) => ({ name: e.nameBytes, sha256Hex: digests.get(key(e.nameBytes)) ?? "" })));
    return { h1, files: entries.filter((e) => !e.name.endsWith("/")).length, uncompressedBytes };
  } finally {
    await file.close();
  }
}

function readAt(file: FileHandle, offset: number, length: number): Uint8Array {
  const out = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(file.fd, out, got, length - got, offset + got);
    if (n === 0) throw new ModuleZipError("zip: not a valid zip file (truncated)");
    got += n;
  }
  return out;
}

function readEntries(file: FileHandle, size: number): ZipEntry[] {
  try {
    const tailLength = Math.min(size, ZIP_TAIL_BYTES);
    const tail = readAt(file, size - tailLength, tailLength);
    const { count, dirSize, dirOffset } = locateZipDirectory(tail, size, (offset, length) => readAt(file, offset, length));
    if (dirSize > MAX_DIRECTORY_BYTES) throw new ModuleZipError(`zip: central directory of ${dirSize} bytes is too large`);
    return parseZipDirectory(readAt(file, dirOffset, dirSize), count);
  } catch (err) {
    if (err instanceof ModuleZipError) throw err;
    throw new ModuleZipError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * x/mod/zip checkZip's rules, in its order; returns the total uncompressed size. Case folding uses JS's
 * toLowerCase of toUpperCase, close to Go's unicode.SimpleFold for the names module zips hold.
 */
export function checkModuleZipEntries(entries: readonly Pick<ZipEntry, "name" | "uncompressedSize">[], module: string, version: string): number {
  const prefix = `${module}@${version}/`;
  const seen = new Map<string, { path: string; isDir: boolean }>();
  const fold = (s: string) => s.toUpperCase().toLowerCase();
  const collide = (p: string, isDir: boolean): string | null => {
    const other = seen.get(fold(p));
    if (other) {
      if (p !== other.path) return `case-insensitive file name collision: ${JSON.stringify(other.path)} and ${JSON.stringify(p)}`;
      if (isDir !== other.isDir) return `entry ${JSON.stringify(p)} is both a file and a directory`;
      if (!isDir) return `multiple entries for file ${JSON.stringify(p)}`;
    } else {
      seen.set(fold(p), { path: p, isDir });
    }
    const slash = p.lastIndexOf("/");
    return slash > 0 ? collide(p.slice(0, slash), true) : null;
  };
  let size = 0;
  const invalid = (name: string, why: string) => new ModuleZipError(`${name}: ${why}`);
  for (const e of entries) {
    if (!e.name.startsWith(prefix)) throw invalid(e.name, `path does not have prefix ${JSON.stringify(prefix)}`);
    let name = e.name.slice(prefix.length);
    if (name === "") continue;
    const isDir = name.endsWith("/");
    if (isDir) name = name.slice(0, -1);
    if (cleanPath(name) !== name) throw invalid(e.name, "file path is not clean");
    try {
      checkFilePath(name);
    } catch (err) {
      throw invalid(e.name, err instanceof Error ? err.message : String(err));
    }
    const collision = collide(name, isDir);
    if (collision) throw invalid(e.name, collision);
    if (isDir) continue;
    const base = name.slice(name.lastIndexOf("/") + 1);
    if (base.toLowerCase() === "go.mod") {
      if (base !== name) throw invalid(e.name, "go.mod file not in module root directory");
      if (name !== "go.mod") throw invalid(e.name, "go.mod files must have lowercase names");
    }
    size += e.uncompressedSize;
    if (size > MAX_ZIP_FILE) throw new ModuleZipError(`total uncompressed size of module contents too large (max size is ${MAX_ZIP_FILE} bytes)`);
    if (name === "go.mod" && e.uncompressedSize > MAX_GO_MOD) throw invalid(e.name, `go.mod file too large (max size is ${MAX_GO_MOD} bytes)`);
    if (name === "LICENSE" && e.uncompressedSize > MAX_LICENSE) throw invalid(e.name, `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`);
  }
  return size;
}

/** Go's path.Clean for a relative slash path (no leading slash here: checkFilePath refuses those). */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  const cleaned = (p.startsWith("/") ? "/" : "") + out.join("/");
  return cleaned === "" ? "." : cleaned;
}

/** SHA-256 (hex) of one entry's uncompressed content, checking its size and CRC-32 like archive/zip does. */
async function hashEntry(file: FileHandle, size: number, entry: ZipEntry): Promise<string> {
  const label = JSON.stringify(entry.name);
  const header = readAt(file, entry.localHeaderOffset, 30);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (view.getUint32(0, true) !== 0x04034b50) throw new ModuleZipError(`zip: bad local file header for ${label}`);
  const start = entry.localHeaderOffset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
  if (start + entry.compressedSize > size) throw new ModuleZipError(`zip: entry ${label} extends past the end of the archive`);
  if (entry.method !== 0 && entry.method !== 8) throw new ModuleZipError(`zip: entry ${label} uses unsupported compression method ${entry.method}`);

  const sha = createHash("sha256");
  let crc = 0;
  let written = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.byteLength;
      // The declared size bounds what a deflate stream may expand to (a zip bomb stops here).
      if (written > entry.uncompressedSize) {
        done(new ModuleZipError(`zip: entry ${label} has more bytes than its header says (${entry.uncompressedSize})`));
        return;
      }
      sha.update(chunk);
      crc = crc32(chunk, crc);
      done();
    },
  });
  if (entry.compressedSize > 0) {
    const source = file.createReadStream({ start, end: start + entry.compressedSize - 1, autoClose: false, highWaterMark: MiB });
    try {
      if (entry.method === 0) await pipeline(source, sink);
      else await pipeline(source, createInflateRaw(), sink);
    } catch (err) {
      if (err instanceof ModuleZipError) throw err;
      throw new ModuleZipError(`zip: entry ${label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else if (entry.method === 8) {
    throw new ModuleZipError(`zip: entry ${label}: unexpected end of deflate stream`);
  }
  if (written !== entry.uncompressedSize) throw new ModuleZipError(`zip: entry ${label} has ${written} bytes, header says ${entry.uncompressedSize}`);
  if (crc >>> 0 !== entry.crc32) throw new ModuleZipError(`zip: checksum error in ${label}`);
  return sha.digest("hex");
}
