// The checksum database's transparent log, as golang.org/x/mod/sumdb/tlog defines it: record and node hashes,
// the stored-hash numbering, tree hashes, record proofs, tiles and their paths, and the tree note and record
// formats. Indexes are JS numbers (exact below 2^53, far beyond any log), so shifts are written as * and /.

import { createHash } from "node:crypto";
import { hasLoneSurrogate } from "../go-strings";

export const HASH_SIZE = 32;
export type Hash = Uint8Array;

/** A tree head: its size and the hash of its records. */
export type Tree = { n: number; hash: Hash };

export class TlogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TlogError";
  }
}

const shl = (n: number, k: number) => n * 2 ** k;
const shr = (n: number, k: number) => Math.floor(n / 2 ** k);

function trailingZeros(n: number): number {
  if (n === 0) return 64;
  let z = 0;
  while (n % 2 === 0) {
    n /= 2;
    z++;
  }
  return z;
}

export const hashToBase64 = (h: Hash): string => Buffer.from(h).toString("base64");
export const hashesEqual = (a: Hash, b: Hash): boolean => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/** tlog.ParseHash: standard padded base64 of exactly 32 bytes. */
export function parseHash(s: string): Hash {
  const bytes = /^[A-Za-z0-9+/]{43}=$/.test(s) ? new Uint8Array(Buffer.from(s, "base64")) : null;
  if (!bytes || bytes.length !== HASH_SIZE) throw new TlogError("malformed hash");
  return bytes;
}

/** RecordHash: SHA-256(0x00 ‖ data). */
export function recordHash(data: Uint8Array | string): Hash {
  return new Uint8Array(createHash("sha256").update(Buffer.from([0])).update(data).digest());
}

/** NodeHash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return new Uint8Array(createHash("sha256").update(Buffer.from([1])).update(left).update(right).digest());
}

/** maxpow2: the largest power of two k < n (n > 1), and its log. */
function maxpow2(n: number): [number, number] {
  let l = 0;
  while (2 ** (l + 1) < n) l++;
  return [2 ** l, l];
}

/** StoredHashIndex: where the hash of the n-th subtree at the given level sits in the stored sequence. */
export function storedHashIndex(level: number, n: number): number {
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  let i = 0;
  for (; n > 0; n = shr(n, 1)) i += n;
  return i + level;
}

/** SplitStoredHashIndex: the inverse of storedHashIndex. */
export function splitStoredHashIndex(index: number): [level: number, n: number] {
  let n = Math.floor(index / 2);
  let indexN = storedHashIndex(0, n);
  if (indexN > index) throw new TlogError("bad math");
  for (;;) {
    const x = indexN + 1 + trailingZeros(n + 1);
    if (x > index) break;
    n++;
    indexN = x;
  }
  const level = index - indexN;
  return [level, shr(n, level)];
}

/** StoredHashCount: how many hashes a tree of n records stores. */
export function storedHashCount(n: number): number {
  if (n === 0) return 0;
  let numHash = storedHashIndex(0, n - 1) + 1;
  for (let i = n - 1; i % 2 === 1; i = shr(i, 1)) numHash++;
  return numHash;
}

/** Reads stored hashes by index (from tiles, from memory): the one source every proof below asks. */
export type HashReader = (indexes: number[]) => Promise<Hash[]>;

/** StoredHashesForRecordHash: the hashes a log appends when record n (with hash h) is added. */
export async function storedHashesForRecordHash(n: number, h: Hash, read: HashReader): Promise<Hash[]> {
  const hashes = [h];
  const m = trailingZeros(n + 1);
  const indexes = new Array<number>(m);
  for (let i = 0; i < m; i++) indexes[m - 1 - i] = storedHashIndex(i, shr(n, i) - 1);
  const old = await read(indexes);
  if (old.length !== indexes.length) throw new TlogError(`tlog: ReadHashes(${indexes.length} indexes) = ${old.length} hashes`);
  for (let i = 0; i < m; i++) {
    h = nodeHash(old[m - 1 - i]!, h);
    hashes.push(h);
  }
  return hashes;
}

const EMPTY_HASH = new Uint8Array(createHash("sha256").digest());

function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    const [k, level] = maxpow2(hi - lo + 1);
    if (lo % k !== 0) throw new TlogError("tlog: bad math in subTreeIndex");
    need.push(storedHashIndex(level, shr(lo, level)));
    lo += k;
  }
  return need;
}

function subTreeHash(lo: number, hi: number, hashes: Hash[]): [Hash, Hash[]] {
  let numTree = 0;
  while (lo < hi) {
    const [k] = maxpow2(hi - lo + 1);
    if (lo % k !== 0 || lo >= hi) throw new TlogError("tlog: bad math in subTreeHash");
    numTree++;
    lo += k;
  }
  if (hashes.length < numTree) throw new TlogError("tlog: bad index math in subTreeHash");
  let h = hashes[numTree - 1]!;
  for (let i = numTree - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return [h, hashes.slice(numTree)];
}

/** TreeHash: the hash of a tree of n records. */
export async function treeHash(n: number, read: HashReader): Promise<Hash> {
  if (n === 0) return EMPTY_HASH;
  const indexes = subTreeIndex(0, n, []);
  const hashes = await read(indexes);
  if (hashes.length !== indexes.length) throw new TlogError(`tlog: ReadHashes(${indexes.length} indexes) = ${hashes.length} hashes`);
  const [hash, rest] = subTreeHash(0, n, hashes);
  if (rest.length !== 0) throw new TlogError("tlog: bad index math in TreeHash");
  return hash;
}

function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (!(lo <= n && n < hi)) throw new TlogError("tlog: bad math in leafProofIndex");
  if (lo + 1 === hi) return need;
  const [k] = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function leafProof(lo: number, hi: number, n: number, hashes: Hash[]): [Hash[], Hash[]] {
  if (!(lo <= n && n < hi)) throw new TlogError("tlog: bad math in leafProof");
  if (lo + 1 === hi) return [[], hashes];
  const [k] = maxpow2(hi - lo);
  let p: Hash[];
  let th: Hash;
  if (n < lo + k) {
    [p, hashes] = leafProof(lo, lo + k, n, hashes);
    [th, hashes] = subTreeHash(lo + k, hi, hashes);
  } else {
    [th, hashes] = subTreeHash(lo, lo + k, hashes);
    [p, hashes] = leafProof(lo + k, hi, n, hashes);
  }
  return [[...p, th], hashes];
}

/** ProveRecord: the proof that record n is in the tree of size t. */
export async function proveRecord(t: number, n: number, read: HashReader): Promise<Hash[]> {
  if (t < 0 || n < 0 || n >= t) throw new TlogError("tlog: invalid inputs in ProveRecord");
  const indexes = leafProofIndex(0, t, n, []);
  if (indexes.length === 0) return [];
  const hashes = await read(indexes);
  if (hashes.length !== indexes.length) throw new TlogError(`tlog: ReadHashes(${indexes.length} indexes) = ${hashes.length} hashes`);
  const [p, rest] = leafProof(0, t, n, hashes);
  if (rest.length !== 0) throw new TlogError("tlog: bad index math in ProveRecord");
  return p;
}

const PROOF_FAILED = "invalid transparency proof";

function runRecordProof(p: Hash[], lo: number, hi: number, n: number, leaf: Hash): Hash {
  if (!(lo <= n && n < hi)) throw new TlogError("tlog: bad math in runRecordProof");
  if (lo + 1 === hi) {
    if (p.length !== 0) throw new TlogError(PROOF_FAILED);
    return leaf;
  }
  if (p.length === 0) throw new TlogError(PROOF_FAILED);
  const [k] = maxpow2(hi - lo);
  const last = p[p.length - 1]!;
  if (n < lo + k) return nodeHash(runRecordProof(p.slice(0, -1), lo, lo + k, n, leaf), last);
  return nodeHash(last, runRecordProof(p.slice(0, -1), lo + k, hi, n, leaf));
}

/** CheckRecord: throws unless p proves that record n with hash h is in the tree of size t with hash th. */
export function checkRecord(p: Hash[], t: number, th: Hash, n: number, h: Hash): void {
  if (t < 0 || n < 0 || n >= t) throw new TlogError("tlog: invalid inputs in CheckRecord");
  if (!hashesEqual(runRecordProof(p, 0, t, n, h), th)) throw new TlogError(PROOF_FAILED);
}

// ---- tiles ----

/** A tile: height h, level l in the tiling (-1 for record data), number n within the level, width w ≤ 2^h. */
export type Tile = { h: number; l: number; n: number; w: number };

const PATH_BASE = 1000;

function tileForIndexDetailed(h: number, index: number): { tile: Tile; start: number; end: number } {
  let [level, n] = splitStoredHashIndex(index);
  const l = Math.floor(level / h);
  level -= l * h;
  const tn = shr(shl(n, level), h);
  n -= shr(shl(tn, h), level);
  const w = shl(n + 1, level);
  return { tile: { h, l, n: tn, w }, start: shl(n, level) * HASH_SIZE, end: shl(n + 1, level) * HASH_SIZE };
}

/** TileForIndex: the smallest tile of height h that holds the stored hash with this index. */
export function tileForIndex(h: number, index: number): Tile {
  if (h <= 0) throw new TlogError(`TileForIndex: invalid height ${h}`);
  return tileForIndexDetailed(h, index).tile;
}

function tileDataHash(data: Uint8Array): Hash {
  if (data.length === 0) throw new TlogError("bad math in tileHash");
  if (data.length === HASH_SIZE) return data.slice();
  const half = data.length / 2;
  return nodeHash(tileDataHash(data.subarray(0, half)), tileDataHash(data.subarray(half)));
}

/** HashFromTile: the stored hash with this index, computed from a tile's data. */
export function hashFromTile(t: Tile, data: Uint8Array, index: number): Hash {
  if (t.h < 1 || t.h > 30 || t.l < 0 || t.l >= 64 || t.w < 1 || t.w > 2 ** t.h) throw new TlogError(`invalid tile ${tilePath(t)}`);
  if (data.length < t.w * HASH_SIZE) throw new TlogError(`data len ${data.length} too short for tile ${tilePath(t)}`);
  const { tile: t1, start, end } = tileForIndexDetailed(t.h, index);
  if (t.l !== t1.l || t.n !== t1.n || t.w < t1.w) throw new TlogError(`index ${index} is in ${tilePath(t1)} not ${tilePath(t)}`);
  return tileDataHash(data.subarray(start, end));
}

/** NewTiles: the tiles of height h a log adds when it grows from oldTreeSize to newTreeSize records. */
export function newTiles(h: number, oldTreeSize: number, newTreeSize: number): Tile[] {
  if (h <= 0) throw new TlogError(`NewTiles: invalid height ${h}`);
  const tiles: Tile[] = [];
  for (let level = 0; shr(newTreeSize, h * level) > 0; level++) {
    const oldN = shr(oldTreeSize, h * level);
    const newN = shr(newTreeSize, h * level);
    if (oldN === newN) continue;
    for (let n = shr(oldN, h); n < shr(newN, h); n++) tiles.push({ h, l: level, n, w: 2 ** h });
    const n = shr(newN, h);
    const w = newN - shl(n, h);
    if (w > 0) tiles.push({ h, l: level, n, w });
  }
  return tiles;
}

/** ReadTileData: a tile's bytes, from stored hashes (what a log server serves at the tile's path). */
export async function readTileData(t: Tile, read: HashReader): Promise<Uint8Array> {
  const size = t.w === 0 ? 2 ** t.h : t.w;
  const start = shl(t.n, t.h);
  const indexes = Array.from({ length: size }, (_, i) => storedHashIndex(t.h * t.l, start + i));
  const hashes = await read(indexes);
  if (hashes.length !== indexes.length) throw new TlogError(`tlog: ReadHashes(${indexes.length} indexes) = ${hashes.length} hashes`);
  const out = new Uint8Array(size * HASH_SIZE);
  hashes.forEach((h, i) => out.set(h, i * HASH_SIZE));
  return out;
}

/** Tile.Path: tile/H/L/NNN[.p/W], N in groups of three digits (x001/234/…). */
export function tilePath(t: Tile): string {
  let n = t.n;
  let nStr = String(n % PATH_BASE).padStart(3, "0");
  while (n >= PATH_BASE) {
    n = Math.floor(n / PATH_BASE);
    nStr = `x${String(n % PATH_BASE).padStart(3, "0")}/${nStr}`;
  }
  const partial = t.w !== 2 ** t.h ? `.p/${t.w}` : "";
  const level = t.l === -1 ? "data" : String(t.l);
  return `tile/${t.h}/${level}/${nStr}${partial}`;
}

function atoi(s: string): number | null {
  return /^[+-]?\d+$/.test(s) ? Number.parseInt(s, 10) : null;
}

/** ParseTilePath: the inverse of tilePath; only the canonical spelling is accepted. */
export function parseTilePath(path: string): Tile {
  const bad = () => new TlogError(`malformed tile path "${path}"`);
  let f = path.split("/");
  if (f.length < 4 || f[0] !== "tile") throw bad();
  const h = atoi(f[1]!);
  const isData = f[2] === "data";
  let l = isData ? 0 : atoi(f[2]!);
  if (h === null || l === null || h < 1 || l < 0 || h > 30) throw bad();
  let w = 2 ** h;
  const dotP = f[f.length - 2]!;
  if (dotP.endsWith(".p")) {
    const ww = atoi(f[f.length - 1]!);
    if (ww === null || ww <= 0 || ww >= w) throw bad();
    w = ww;
    f = [...f.slice(0, -2), dotP.slice(0, -2)];
  }
  let n = 0;
  for (const s of f.slice(3)) {
    const nn = atoi(s.startsWith("x") ? s.slice(1) : s);
    if (nn === null || nn < 0 || nn >= PATH_BASE) throw bad();
    n = n * PATH_BASE + nn;
  }
  if (isData) l = -1;
  const t = { h, l, n, w };
  if (path !== tilePath(t)) throw bad();
  return t;
}

/** Fetches tiles (from a checksum database, through a mirror); each answer must be exactly w hashes long. */
export type TileReader = { height: number; readTiles(tiles: Tile[]): Promise<Uint8Array[]> };

function tileParent(t: Tile, k: number, n: number): Tile | null {
  const p: Tile = { h: t.h, l: t.l + k, n: shr(t.n, k * t.h), w: 2 ** t.h };
  const max = shr(n, p.l * p.h);
  if (shl(p.n, p.h) + p.w >= max) {
    if (shl(p.n, p.h) >= max) return null;
    p.w = max - shl(p.n, p.h);
  }
  return p;
}

const tileKey = (t: Tile | null) => (t ? `${t.h}/${t.l}/${t.n}/${t.w}` : "none");

/**
 * TileHashReader: reads stored hashes of the given tree from tiles, authenticating every tile against the
 * tree's hash before trusting any hash in it ("downloaded inconsistent tile" otherwise).
 */
export function tileHashReader(tree: Tree, tr: TileReader): HashReader {
  return async (indexes) => {
    const h = tr.height;
    const tileOrder = new Map<string, number>();
    const tiles: Tile[] = [];
    const stx = subTreeIndex(0, tree.n, []);
    const stxTileOrder: number[] = [];
    for (const x of stx) {
      const tile = tileParent(tileForIndex(h, x), 0, tree.n);
      if (!tile) throw new TlogError(`bad math in tileHashReader: ${tree.n} ${x}`);
      const j = tileOrder.get(tileKey(tile));
      if (j !== undefined) {
        stxTileOrder.push(j);
        continue;
      }
      stxTileOrder.push(tiles.length);
      tileOrder.set(tileKey(tile), tiles.length);
      tiles.push(tile);
    }

    // Subtree roots can share a tile, so fewer tiles than roots: the tiles after these are checked below. x/mod
    // (fe2ec04) starts that check at the number of roots instead, which skips a tile when two roots share one.
    const stxTiles = tiles.length;
    const indexTileOrder: number[] = [];
    for (const x of indexes) {
      if (x >= storedHashIndex(0, tree.n)) throw new TlogError("indexes not in tree");
      const tile = tileForIndex(h, x);
      let k = 0;
      for (; ; k++) {
        const p = tileParent(tile, k, tree.n);
        const j = tileOrder.get(tileKey(p));
        if (j !== undefined) {
          if (k === 0) indexTileOrder.push(j);
          break;
        }
        if (k > 64) throw new TlogError(`bad math in tileHashReader: ${tree.n} ${x}`);
      }
      for (k--; k >= 0; k--) {
        const p = tileParent(tile, k, tree.n);
        if (!p || p.w !== 2 ** p.h) throw new TlogError(`bad math in tileHashReader: ${tree.n} ${x}`);
        tileOrder.set(tileKey(p), tiles.length);
        if (k === 0) indexTileOrder.push(tiles.length);
        tiles.push(p);
      }
    }

    const data = await tr.readTiles(tiles);
    if (data.length !== tiles.length) throw new TlogError(`TileReader returned bad result slice (len=${data.length}, want ${tiles.length})`);
    tiles.forEach((tile, i) => {
      if (data[i]!.length !== tile.w * HASH_SIZE) {
        throw new TlogError(`TileReader returned bad result slice (${tilePath(tile)} len=${data[i]!.length}, want ${tile.w * HASH_SIZE})`);
      }
    });

    // The tiles that hold the tree's complete subtrees must hash to the signed tree hash.
    const lastStx = stx.length - 1;
    let th = hashFromTile(tiles[stxTileOrder[lastStx]!]!, data[stxTileOrder[lastStx]!]!, stx[lastStx]!);
    for (let i = stx.length - 2; i >= 0; i--) th = nodeHash(hashFromTile(tiles[stxTileOrder[i]!]!, data[stxTileOrder[i]!]!, stx[i]!), th);
    if (!hashesEqual(th, tree.hash)) throw new TlogError("downloaded inconsistent tile");

    // Every other tile must hash to the hash its parent tile holds for it.
    for (let i = stxTiles; i < tiles.length; i++) {
      const tile = tiles[i]!;
      const p = tileParent(tile, 1, tree.n);
      const j = tileOrder.get(tileKey(p));
      if (!p || j === undefined) throw new TlogError(`bad math in tileHashReader ${tree.n}: lost parent of ${tilePath(tile)}`);
      const expected = hashFromTile(p, data[j]!, storedHashIndex(p.l * p.h, tile.n));
      if (!hashesEqual(expected, tileDataHash(data[i]!))) throw new TlogError("downloaded inconsistent tile");
    }

    return indexes.map((x, i) => {
      const j = indexTileOrder[i]!;
      return hashFromTile(tiles[j]!, data[j]!, x);
    });
  };
}

// ---- notes and records ----

const TREE_PREFIX = "go.sum database tree\n";

/** FormatTree: the text a checksum database signs for its tree head. */
export function formatTree(tree: Tree): string {
  return `${TREE_PREFIX}${tree.n}\n${hashToBase64(tree.hash)}\n`;
}

/** ParseTree: a signed note's text → the tree head it states. */
export function parseTree(text: string): Tree {
  const malformed = () => new TlogError("malformed tree note");
  if (!text.startsWith(TREE_PREFIX) || (text.match(/\n/g)?.length ?? 0) < 3 || text.length > 1e6) throw malformed();
  const lines = text.split("\n");
  const sizeText = lines[1]!;
  const n = /^(0|[1-9]\d*)$/.test(sizeText) ? Number(sizeText) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw malformed();
  let hash: Hash;
  try {
    hash = parseHash(lines[2]!);
  } catch {
    throw malformed();
  }
  return { n, hash };
}

/** isValidRecordText: valid UTF-8, no control characters but "\n", no blank line, ends in "\n". */
function isValidRecordText(text: string): boolean {
  if (hasLoneSurrogate(text) || text.includes("\n\n") || !text.endsWith("\n")) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return false;
  }
  return true;
}

/** FormatRecord: "<id>\n<text>\n", the record as a lookup serves it (before the tree note). */
export function formatRecord(id: number, text: string): string {
  if (!isValidRecordText(text)) throw new TlogError("malformed record data");
  return `${id}\n${text}\n`;
}

/** ParseRecord: a lookup answer → the record's id, its text (the go.sum lines) and the rest (the signed tree note). */
export function parseRecord(message: string): { id: number; text: string; rest: string } {
  const malformed = () => new TlogError("malformed record data");
  const nl = message.indexOf("\n");
  if (nl < 0) throw malformed();
  const idText = message.slice(0, nl);
  const id = /^[+-]?\d+$/.test(idText) ? Number(idText) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw malformed();
  const after = message.slice(nl + 1);
  const blank = after.indexOf("\n\n");
  if (blank < 0) throw malformed();
  const text = after.slice(0, blank + 1);
  if (!isValidRecordText(text)) throw malformed();
  return { id, text, rest: after.slice(blank + 2) };
}
