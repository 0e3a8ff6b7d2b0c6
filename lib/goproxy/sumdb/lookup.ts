// Verifying one checksum-database lookup the way the go command's sumdb client does (golang.org/x/mod/sumdb
// client.go Lookup): parse the record, open the signed tree note with the configured key, then prove the record
// is in that tree by reading its leaf hash from tiles authenticated against the tree hash.

import { NoteError, openDecodedNote } from "./note";
import type { Verifier } from "./note";
import { TlogError, hashesEqual, parseRecord, parseTree, recordHash, storedHashIndex, tileHashReader, tilePath } from "./tlog";
import type { Tile, TileReader, Tree } from "./tlog";

/** The go command's sumdb client reads tiles of height 8. */
export const SUMDB_TILE_HEIGHT = 8;

export type SumdbFailureCode =
  | "malformed_record"
  | "malformed_note"
  | "unverified_note"
  | "invalid_signature"
  | "malformed_tree"
  | "not_in_tree"
  | "tile_unavailable"
  | "inconsistent_tile"
  | "record_mismatch"
  | "no_lines";

/** Why a lookup did not verify; the message is what the go command would say, or close to it. */
export class SumdbError extends Error {
  constructor(
    readonly code: SumdbFailureCode,
    message: string,
  ) {
    super(message);
    this.name = "SumdbError";
  }
}

export type VerifiedLookup = {
  /** The record's position in the log. */
  id: number;
  /** The signed tree head the record was proven against. */
  tree: Tree;
  /** The record's go.sum lines for exactly this module and version. */
  lines: string[];
  /** `h1:` of the module zip and of its go.mod, from those lines (null if the record lacks one). */
  zipH1: string | null;
  modH1: string | null;
};

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Verifies a `/lookup/M@V` answer: every step the go command takes before it trusts a go.sum line, each
 * failure a SumdbError. Tiles are read through `tiles` (from the same checksum database or mirror).
 */
export async function verifyLookup(input: { module: string; version: string; body: Uint8Array; verifier: Verifier; tiles: TileReader }): Promise<VerifiedLookup> {
  let message: string;
  try {
    message = strictUtf8.decode(input.body);
  } catch {
    throw new SumdbError("malformed_record", "malformed record data");
  }
  let record: ReturnType<typeof parseRecord>;
  try {
    record = parseRecord(message);
  } catch (err) {
    throw new SumdbError("malformed_record", (err as Error).message);
  }

  let noteText: string;
  try {
    noteText = openDecodedNote(record.rest, [input.verifier]).text;
  } catch (err) {
    if (err instanceof NoteError) {
      const code = err.code === "invalid_signature" ? "invalid_signature" : err.code === "unverified_note" ? "unverified_note" : "malformed_note";
      throw new SumdbError(code, `reading tree note: ${err.message}`);
    }
    throw err;
  }
  let tree: Tree;
  try {
    tree = parseTree(noteText);
  } catch (err) {
    throw new SumdbError("malformed_tree", `reading tree: ${(err as Error).message}`);
  }

  if (record.id < 0 || record.id >= tree.n) throw new SumdbError("not_in_tree", `cannot validate record ${record.id} in tree of size ${tree.n}`);
  let leaf: Uint8Array;
  try {
    const [hash] = await tileHashReader(tree, input.tiles)([storedHashIndex(0, record.id)]);
    if (!hash) throw new TlogError("no hash read");
    leaf = hash;
  } catch (err) {
    if (err instanceof TileUnavailableError) throw new SumdbError("tile_unavailable", err.message);
    if (err instanceof TlogError) throw new SumdbError("inconsistent_tile", err.message);
    throw err;
  }
  if (!hashesEqual(leaf, recordHash(record.text))) throw new SumdbError("record_mismatch", "cannot authenticate record data in server response");

  const zipPrefix = `${input.module} ${input.version} `;
  const modPrefix = `${input.module} ${input.version}/go.mod `;
  const lines = record.text.split("\n").filter((l) => l.startsWith(zipPrefix) || l.startsWith(modPrefix));
  if (lines.length === 0) throw new SumdbError("no_lines", `the checksum database's record ${record.id} holds no go.sum line for ${input.module}@${input.version}`);
  const hashOf = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim() || null;
  return { id: record.id, tree, lines, zipH1: hashOf(zipPrefix), modH1: hashOf(modPrefix) };
}

/** A tile the checksum database (or the mirror in front of it) did not serve. */
export class TileUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TileUnavailableError";
  }
}

/**
 * A TileReader over one fetch function (`path` like `tile/8/0/x001/234.p/5`; null when not served): a partial
 * tile falls back to the full tile, cut to width, as the go command's client does (a log may have grown).
 */
export function createTileReader(fetchTile: (path: string) => Promise<Uint8Array | null>, height = SUMDB_TILE_HEIGHT): TileReader {
  const cache = new Map<string, Promise<Uint8Array>>();
  const readOne = async (tile: Tile): Promise<Uint8Array> => {
    const data = await fetchTile(tilePath(tile));
    if (data) return data;
    const full: Tile = { ...tile, w: 2 ** tile.h };
    if (full.w !== tile.w) {
      const fullData = await fetchTile(tilePath(full));
      if (fullData) return fullData.subarray(0, (fullData.length / full.w) * tile.w);
    }
    throw new TileUnavailableError(`tile ${tilePath(tile)}: not served`);
  };
  return {
    height,
    readTiles: (tiles) =>
      Promise.all(
        tiles.map((tile) => {
          const key = tilePath(tile);
          let pending = cache.get(key);
          if (!pending) {
            pending = readOne(tile);
            cache.set(key, pending);
            pending.catch(() => cache.delete(key));
          }
          return pending;
        }),
      ),
  };
}
