// Test-only zip writer, so zip-reader tests control every header field (methods, data descriptors,
// mismatched local extras, corrupt checksums, zip64 end records).

import { crc32, deflateRawSync } from "node:zlib";

export type ZipSpec = {
  name: string | Uint8Array;
  content: string | Uint8Array;
  method?: 0 | 8 | 12;
  /** Set bit 3 and zero the local header's sizes/CRC, as streaming writers do. */
  dataDescriptor?: boolean;
  /** Extra bytes in the local header only (the central directory's copy stays empty). */
  localExtra?: Uint8Array;
  /** Override the CRC-32 recorded in the central directory. */
  crc?: number;
  /** Override the uncompressed size recorded in the central directory. */
  size?: number;
};

const enc = new TextEncoder();

export function buildZip(specs: ZipSpec[], opts: { comment?: string; zip64End?: boolean } = {}): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const s of specs) {
    const name = typeof s.name === "string" ? enc.encode(s.name) : s.name;
    const data = typeof s.content === "string" ? enc.encode(s.content) : s.content;
    const method = s.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : Buffer.from(data);
    const crc = s.crc ?? crc32(data) >>> 0;
    const size = s.size ?? data.length;
    const extra = s.localExtra ?? new Uint8Array();
    const flags = (s.dataDescriptor ? 0x08 : 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(s.dataDescriptor ? 0 : crc, 14);
    local.writeUInt32LE(s.dataDescriptor ? 0 : body.length, 18);
    local.writeUInt32LE(s.dataDescriptor ? 0 : size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const parts = [local, Buffer.from(name), Buffer.from(extra), body];
    if (s.dataDescriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(body.length, 8);
      dd.writeUInt32LE(size, 12);
      parts.push(dd);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(flags, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, Buffer.from(name));
    for (const p of parts) {
      chunks.push(p);
      offset += p.length;
    }
  }
  const cdBytes = Buffer.concat(central);
  const comment = enc.encode(opts.comment ?? "");
  const tail: Buffer[] = [];
  if (opts.zip64End) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeBigUInt64LE(BigInt(specs.length), 24);
    z.writeBigUInt64LE(BigInt(specs.length), 32);
    z.writeBigUInt64LE(BigInt(cdBytes.length), 40);
    z.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + cdBytes.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(z, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(opts.zip64End ? 0xffff : specs.length, 8);
  eocd.writeUInt16LE(opts.zip64End ? 0xffff : specs.length, 10);
  eocd.writeUInt32LE(opts.zip64End ? 0xffffffff : cdBytes.length, 12);
  eocd.writeUInt32LE(opts.zip64End ? 0xffffffff : offset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  return new Uint8Array(Buffer.concat([...chunks, cdBytes, ...tail, eocd, Buffer.from(comment)]));
}
