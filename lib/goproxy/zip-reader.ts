// Minimal zip reader for module zips (the subset Go's archive/zip needs for dirhash.HashZip): central
// directory incl. zip64, stored and deflated entries, size and CRC-32 checks. A mirror serving a
// corrupt zip must surface as an error, never as a hash of whatever bytes happened to inflate.

import { crc32, inflateRawSync } from "node:zlib";

export type ZipEntry = {
  /** The entry name's raw bytes: Go hashes names as bytes, whatever their encoding. */
  nameBytes: Uint8Array;
  /** nameBytes decoded as UTF-8 (for display only). */
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
};

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

class Cursor {
  constructor(
    private readonly view: DataView,
    public pos: number,
  ) {}

  need(n: number): void {
    if (this.pos < 0 || this.pos + n > this.view.byteLength) throw new Error("zip: not a valid zip file (truncated)");
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("zip: not a valid zip file (size overflow)");
    return Number(v);
  }
}

function findEndOfCentralDirectory(view: DataView): number {
  // The EOCD record is 22 bytes plus a comment of at most 65535 bytes.
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= min; i--) {
    if (view.getUint32(i, true) === SIG_EOCD && i + 22 + view.getUint16(i + 20, true) <= view.byteLength) return i;
  }
  throw new Error("zip: not a valid zip file (no end of central directory)");
}

/** Where the central directory is and how many entries it holds, from the end records of a zip. */
export type DirectoryLocation = { count: number; dirSize: number; dirOffset: number };

/**
 * Reads the end-of-central-directory records from `tail`, the last bytes of an archive of `size` bytes
 * (at least ZIP_TAIL_BYTES of them when the archive is that large). `readAt` fetches a zip64 record that
 * lies before the tail.
 */
export function locateZipDirectory(tail: Uint8Array, size: number, readAt: (offset: number, length: number) => Uint8Array): DirectoryLocation {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const tailStart = size - tail.byteLength;
  const eocd = findEndOfCentralDirectory(view);
  const c = new Cursor(view, eocd + 10);
  let count = c.u16();
  let dirSize = c.u32();
  let dirOffset = c.u32();
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc >= 0 && view.getUint32(loc, true) === SIG_ZIP64_LOCATOR) {
      const lc = new Cursor(view, loc + 8);
      const recordOffset = lc.u64();
      const record = recordOffset >= tailStart && recordOffset + 56 <= size ? tail.subarray(recordOffset - tailStart, recordOffset - tailStart + 56) : readAt(recordOffset, 56);
      const z = new Cursor(new DataView(record.buffer, record.byteOffset, record.byteLength), 0);
      if (z.u32() !== SIG_ZIP64_EOCD) throw new Error("zip: not a valid zip file (bad zip64 record)");
      z.pos += 8 + 2 + 2 + 4 + 4 + 8; // size, versions, disk numbers, entries on this disk
      count = z.u64();
      dirSize = z.u64();
      dirOffset = z.u64();
    }
  }
  if (dirOffset + dirSize > size) throw new Error("zip: not a valid zip file (central directory out of range)");
  return { count, dirSize, dirOffset };
}

/** The end records fit in this many final bytes: EOCD (22) + the longest comment (65535) + zip64 locator (20). */
export const ZIP_TAIL_BYTES = 22 + 0xffff + 20;

/** Parses `count` central-directory headers from `dir` (the directory's bytes). */
export function parseZipDirectory(dir: Uint8Array, count: number): ZipEntry[] {
  const view = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const entries: ZipEntry[] = [];
  const d = new Cursor(view, 0);
  const utf8 = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (d.u32() !== SIG_CENTRAL) throw new Error("zip: not a valid zip file (bad central directory header)");
    d.pos += 4; // version made by, version needed
    const flags = d.u16();
    const method = d.u16();
    d.pos += 4; // modified time and date
    const crc = d.u32();
    let compressedSize = d.u32();
    let uncompressedSize = d.u32();
    const nameLen = d.u16();
    const extraLen = d.u16();
    const commentLen = d.u16();
    d.pos += 2 + 2 + 4; // disk number, internal and external attributes
    let localHeaderOffset = d.u32();
    d.need(nameLen + extraLen + commentLen);
    const nameBytes = dir.subarray(d.pos, d.pos + nameLen);
    d.pos += nameLen;
    const extraEnd = d.pos + extraLen;
    while (d.pos + 4 <= extraEnd) {
      const id = d.u16();
      const size = d.u16();
      const next = d.pos + size;
      if (id === 0x0001) {
        // Zip64 extended information: only the fields whose 32-bit value overflowed, in this order.
        if (uncompressedSize === 0xffffffff && d.pos + 8 <= next) uncompressedSize = d.u64();
        if (compressedSize === 0xffffffff && d.pos + 8 <= next) compressedSize = d.u64();
        if (localHeaderOffset === 0xffffffff && d.pos + 8 <= next) localHeaderOffset = d.u64();
      }
      d.pos = next;
    }
    d.pos = extraEnd + commentLen;
    entries.push({
      nameBytes,
      name: utf8.decode(nameBytes),
      method,
      flags,
      crc32: crc,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    });
  }
  return entries;
}

/** Lists the entries of a zip archive from its central directory. */
export function readZipEntries(bytes: Uint8Array): ZipEntry[] {
  const { count, dirSize, dirOffset } = locateZipDirectory(bytes, bytes.byteLength, (offset, length) => bytes.subarray(offset, offset + length));
  return parseZipDirectory(bytes.subarray(dirOffset, dirOffset + dirSize), count);
}
/** The uncompressed content of one entry; throws on unsupported methods, bad sizes or CRC mismatch. */
export function readZipEntryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const c = new Cursor(view, entry.localHeaderOffset);
  if (c.u32() !== SIG_LOCAL) throw new Error(`zip: bad local file header for ${JSON.stringify(entry.name)}`);
  c.pos = entry.localHeaderOffset + 26;
  const nameLen = c.u16();
  const extraLen = c.u16();
  const start = c.pos + nameLen + extraLen;
  if (start + entry.compressedSize > bytes.byteLength) {
    throw new Error(`zip: entry ${JSON.stringify(entry.name)} extends past the end of the archive`);
  }
  const raw = bytes.subarray(start, start + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = raw;
  } else if (entry.method === 8) {
    try {
      // Cap the output at the declared size so a lying header cannot inflate a bomb.
      data = inflateRawSync(raw, { maxOutputLength: entry.uncompressedSize + 1 });
    } catch (e) {
      throw new Error(`zip: entry ${JSON.stringify(entry.name)}: ${(e as Error).message}`);
    }
  } else {
    throw new Error(`zip: entry ${JSON.stringify(entry.name)} uses unsupported compression method ${entry.method}`);
  }
  if (data.byteLength !== entry.uncompressedSize) {
    throw new Error(`zip: entry ${JSON.stringify(entry.name)} has ${data.byteLength} bytes, header says ${entry.uncompressedSize}`);
  }
  if (crc32(data) >>> 0 !== entry.crc32) throw new Error(`zip: checksum error in ${JSON.stringify(entry.name)}`);
  return data;
}
