// A checksum database held in memory, serving the protocol of golang.org/x/mod/sumdb/server.go (`/lookup/M@V`,
// `/latest`, `/tile/H/L/N[.p/W]`) from a real transparent log signed with a real key: what the mirror simulator
// and the tests verify against, and what the go command itself accepts with GOSUMDB set to its verifier key.

import { parseSignerKey, signNote } from "./note";
import { formatRecord, formatTree, parseTilePath, readTileData, recordHash, storedHashesForRecordHash, treeHash } from "./tlog";
import type { Hash, HashReader } from "./tlog";
import { SUMDB_TILE_HEIGHT } from "./lookup";

export type MemoryChecksumDb = {
  name: string;
  verifierKey: string;
  /** Appends the record of M@V (its zip and go.mod `h1:`); a version already recorded keeps its first record. */
  add(module: string, version: string, zipH1: string, modH1: string): Promise<number>;
  size(): number;
  /** The signed tree head, as `/latest` serves it. */
  latest(): Promise<string>;
  /** The `/lookup/M@V` answer (record, blank line, signed tree head), or null when M@V was never added. */
  lookup(module: string, version: string): Promise<string | null>;
  /** A hash tile's bytes for its path (`tile/8/0/000.p/3`), or null when the path is malformed or beyond the tree. */
  tile(path: string): Promise<Uint8Array | null>;
};

export function createMemoryChecksumDb(signerKey: string): MemoryChecksumDb {
  const signer = parseSignerKey(signerKey);
  const hashes: Hash[] = [];
  const records: string[] = [];
  const ids = new Map<string, number>();
  const read: HashReader = async (indexes) =>
    indexes.map((i) => {
      const h = hashes[i];
      if (!h) throw new Error(`stored hash ${i} is beyond the log`);
      return h;
    });
  const signedHead = async () => signNote(formatTree({ n: records.length, hash: await treeHash(records.length, read) }), [signer]);

  return {
    name: signer.name,
    verifierKey: signer.verifierKey,
    async add(module, version, zipH1, modH1) {
      const key = `${module}@${version}`;
      const known = ids.get(key);
      if (known !== undefined) return known;
      const text = `${module} ${version} ${zipH1}\n${module} ${version}/go.mod ${modH1}\n`;
      const id = records.length;
      hashes.push(...(await storedHashesForRecordHash(id, recordHash(text), read)));
      records.push(text);
      ids.set(key, id);
      return id;
    },
    size: () => records.length,
    latest: signedHead,
    async lookup(module, version) {
      const id = ids.get(`${module}@${version}`);
      if (id === undefined) return null;
      return formatRecord(id, records[id]!) + (await signedHead());
    },
    async tile(path) {
      let tile;
      try {
        tile = parseTilePath(path);
      } catch {
        return null;
      }
      // Hash tiles of the go command's height only; record-data tiles are not needed to verify a lookup.
      if (tile.h !== SUMDB_TILE_HEIGHT || tile.l < 0) return null;
      const hashesAtLevel = Math.floor(records.length / 2 ** (tile.l * tile.h));
      if (tile.n * 2 ** tile.h + tile.w > hashesAtLevel) return null;
      return readTileData(tile, read);
    },
  };
}
