import { describe, expect, it } from "vitest";
import {
  HASH_SIZE,
  checkRecord,
  formatRecord,
  formatTree,
  hashFromTile,
  hashToBase64,
  newTiles,
  parseRecord,
  parseTilePath,
  parseTree,
  proveRecord,
  readTileData,
  recordHash,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  storedHashesForRecordHash,
  tileForIndex,
  tileHashReader,
  tilePath,
  treeHash,
} from "./tlog";
import type { Hash, HashReader, Tile } from "./tlog";

// Ported from golang.org/x/mod sumdb/tlog/{tlog,tile,note}_test.go (fe2ec04).
const memoryReader = (storage: Hash[]): HashReader => async (indexes) => indexes.map((i) => storage[i]!);
const key = (t: Tile) => tilePath(t);

describe("the transparent log (TestTree, height-2 tiles, 100 records)", () => {
  it("stores, hashes, tiles and proves every record of every tree size", async () => {
    const storage: Hash[] = [];
    const leaves: Hash[] = [];
    const tiles = new Map<string, Uint8Array>();
    const H = 2;
    for (let i = 0; i < 100; i++) {
      const data = `leaf ${i}`;
      const hashes = await storedHashesForRecordHash(i, recordHash(data), memoryReader(storage));
      leaves.push(recordHash(data));
      const oldStorage = storage.length;
      storage.push(...hashes);
      expect(storedHashCount(i + 1)).toBe(storage.length);
      const th = await treeHash(i + 1, memoryReader(storage));

      for (const tile of newTiles(H, i, i + 1)) {
        const data = await readTileData(tile, memoryReader(storage));
        const old = tiles.get(key({ ...tile, w: tile.w - 1 })) ?? new Uint8Array();
        // A tile grows by appending: the narrower tile is a prefix of the wider one.
        expect(old.length).toBe(data.length - HASH_SIZE);
        expect(Buffer.from(data.subarray(0, old.length)).equals(Buffer.from(old))).toBe(true);
        tiles.set(key(tile), data);
      }
      for (const tile of newTiles(H, 0, i + 1)) expect(Buffer.from(await readTileData(tile, memoryReader(storage))).equals(Buffer.from(tiles.get(key(tile))!))).toBe(true);
      for (let j = oldStorage; j < storage.length; j++) {
        const tile = tileForIndex(H, j);
        expect(hashToBase64(hashFromTile(tile, tiles.get(key(tile))!, j))).toBe(hashToBase64(storage[j]!));
      }

      for (let j = 0; j <= i; j++) {
        const p = await proveRecord(i + 1, j, memoryReader(storage));
        checkRecord(p, i + 1, th, j, leaves[j]!);
        for (const h of p) {
          h[0]! ^= 1;
          expect(() => checkRecord(p, i + 1, th, j, leaves[j]!)).toThrow("invalid transparency proof");
          h[0]! ^= 1;
        }
      }

      // Through tiles, authenticated against the tree hash: reading the leaf hash is the proof.
      const thr = tileHashReader({ n: i + 1, hash: th }, { height: H, readTiles: async (ts) => ts.map((t) => tiles.get(key(t))!) });
      for (let j = 0; j <= i; j++) {
        const [h] = await thr([storedHashIndex(0, j)]);
        expect(hashToBase64(h!)).toBe(hashToBase64(leaves[j]!));
        checkRecord(await proveRecord(i + 1, j, thr), i + 1, th, j, leaves[j]!);
      }
      await expect(thr([storedHashIndex(0, i + 1)])).rejects.toThrow("indexes not in tree");
    }
  });

  it("rejects tiles that do not hash to the signed tree", async () => {
    const storage: Hash[] = [];
    for (let i = 0; i < 37; i++) storage.push(...(await storedHashesForRecordHash(i, recordHash(`r${i}`), memoryReader(storage))));
    const th = await treeHash(37, memoryReader(storage));
    const serve = (mutate: boolean) => async (ts: Tile[]) =>
      Promise.all(
        ts.map(async (t) => {
          const d = await readTileData(t, memoryReader(storage));
          if (mutate && t.l === 0 && t.n === 0) d[5]! ^= 0xff;
          return d;
        }),
      );
    await expect(tileHashReader({ n: 37, hash: th }, { height: 2, readTiles: serve(false) })([storedHashIndex(0, 3)])).resolves.toHaveLength(1);
    await expect(tileHashReader({ n: 37, hash: th }, { height: 2, readTiles: serve(true) })([storedHashIndex(0, 3)])).rejects.toThrow("downloaded inconsistent tile");
    const other = recordHash("another tree");
    await expect(tileHashReader({ n: 37, hash: other }, { height: 2, readTiles: serve(false) })([storedHashIndex(0, 3)])).rejects.toThrow("downloaded inconsistent tile");
    const short = async (ts: Tile[]) => (await serve(false)(ts)).map((d) => d.subarray(0, d.length - 1));
    await expect(tileHashReader({ n: 37, hash: th }, { height: 2, readTiles: short })([storedHashIndex(0, 3)])).rejects.toThrow("TileReader returned bad result slice");
  });

  it("numbers stored hashes both ways (TestSplitStoredHashIndex)", () => {
    for (let l = 0; l < 10; l++) for (let n = 0; n < 100; n++) expect(splitStoredHashIndex(storedHashIndex(l, n))).toEqual([l, n]);
    // Beyond 2^32: JS bit operators would wrap here.
    expect(splitStoredHashIndex(storedHashIndex(3, 5_000_000_000))).toEqual([3, 5_000_000_000]);
  });

  it("hashes the empty tree as SHA-256 of nothing", async () => {
    expect(hashToBase64(await treeHash(0, memoryReader([])))).toBe("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  });
});

describe("tiles (TestTilePath, TestNewTilesForSize)", () => {
  const paths: [string, Tile | null][] = [
    ["tile/4/0/001", { h: 4, l: 0, n: 1, w: 16 }],
    ["tile/4/0/001.p/5", { h: 4, l: 0, n: 1, w: 5 }],
    ["tile/3/5/x123/x456/078", { h: 3, l: 5, n: 123456078, w: 8 }],
    ["tile/3/5/x123/x456/078.p/2", { h: 3, l: 5, n: 123456078, w: 2 }],
    ["tile/1/0/x003/x057/500", { h: 1, l: 0, n: 3057500, w: 2 }],
    ["tile/3/5/123/456/078", null],
    ["tile/3/-1/123/456/078", null],
    ["tile/1/data/x003/x057/500", { h: 1, l: -1, n: 3057500, w: 2 }],
  ];
  it.each(paths)("%s", (path, tile) => {
    if (tile) {
      expect(tilePath(tile)).toBe(path);
      expect(parseTilePath(path)).toEqual(tile);
    } else {
      expect(() => parseTilePath(path)).toThrow("malformed tile path");
    }
  });

  it.each([
    [1, 1, 0],
    [100, 101, 1],
    [1023, 1025, 3],
    [1024, 1030, 1],
    [1030, 2000, 1],
    [1030, 10000, 10],
    [49516517, 49516586, 3],
  ])("NewTiles(10, %i, %i) has %i tiles", (oldSize, newSize, want) => {
    expect(newTiles(10, oldSize, newSize)).toHaveLength(want);
  });
});

describe("tree notes and records (tlog/note_test.go)", () => {
  const tree = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";
  it("formats and parses the tree head, ignoring junk after it", () => {
    expect(formatTree({ n: 123456789012, hash: recordHash("hello world") })).toBe(tree);
    for (const good of [tree, `${tree}JOE`, `${tree}JOE\n`, tree + "JOE\n".repeat(1000)]) {
      const parsed = parseTree(good);
      expect(parsed.n).toBe(123456789012);
      expect(hashToBase64(parsed.hash)).toBe(hashToBase64(recordHash("hello world")));
    }
    for (const bad of [`not-${tree}`, "go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n", "go.sum database tree\n0123\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"]) {
      expect(() => parseTree(bad), bad).toThrow("malformed tree note");
    }
  });

  it("formats and parses records", () => {
    expect(formatRecord(123456789012, "hello, world\n")).toBe("123456789012\nhello, world\n\n");
    for (const bad of ["", "hello\nworld", "hello\n\nworld\n", "hello\u0001world\n"]) expect(() => formatRecord(1, bad), JSON.stringify(bad)).toThrow("malformed record data");
    expect(parseRecord("123456789012\nhello, world\n\nrest")).toEqual({ id: 123456789012, text: "hello, world\n", rest: "rest" });
    for (const bad of ["", "12", "x\nhello\n\n", "1\nhello\n", "1\nhel\u0002lo\n\n"]) expect(() => parseRecord(bad), JSON.stringify(bad)).toThrow("malformed record data");
  });
});
