import { describe, expect, it } from "vitest";
import { SumdbError, createTileReader, verifyLookup } from "./lookup";
import { createMemoryChecksumDb } from "./memory-log";
import type { MemoryChecksumDb } from "./memory-log";
import { generateNoteKeys, parseSignerKey, parseVerifierKey, signNote } from "./note";
import { formatTree, parseTilePath, recordHash } from "./tlog";

const MODULE = "example.com/pkg";
const seed = (b: number) => new Uint8Array(32).fill(b);
const keys = generateNoteKeys("sum.example.test", seed(1));
const enc = (s: string) => new TextEncoder().encode(s);
const h1 = (s: string) => `h1:${Buffer.from(recordHash(s)).toString("base64")}`;

async function database(records = 300): Promise<MemoryChecksumDb> {
  const db = createMemoryChecksumDb(keys.signerKey);
  for (let i = 0; i < records; i++) await db.add(MODULE, `v1.0.${i}`, h1(`zip ${i}`), h1(`mod ${i}`));
  return db;
}

const tilesOf = (db: MemoryChecksumDb) => createTileReader((path) => db.tile(path));

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SumdbError) return { code: err.code, message: err.message };
    throw err;
  }
  return { code: "verified", message: "" };
}

describe("verifying a checksum-database lookup as the go command does", () => {
  const verifier = parseVerifierKey(keys.verifierKey);

  it("proves a record of a 300-record log through height-8 tiles (full and partial)", async () => {
    const db = await database();
    for (const i of [0, 1, 255, 256, 299]) {
      const body = enc((await db.lookup(MODULE, `v1.0.${i}`))!);
      const v = await verifyLookup({ module: MODULE, version: `v1.0.${i}`, body, verifier, tiles: tilesOf(db) });
      expect(v).toMatchObject({ id: i, zipH1: h1(`zip ${i}`), modH1: h1(`mod ${i}`) });
      expect(v.tree.n).toBe(300);
      expect(v.lines).toEqual([`${MODULE} v1.0.${i} ${h1(`zip ${i}`)}`, `${MODULE} v1.0.${i}/go.mod ${h1(`mod ${i}`)}`]);
    }
  });

  it("falls back to the full tile when only it is served (the log grew past the partial tile)", async () => {
    const db = await database(300);
    const body = enc((await db.lookup(MODULE, "v1.0.260"))!);
    const bigger = await database(600);
    // Records 256-299 sit in the partial tile 8/0/001.p/44; the log has since grown, and only the full 8/0/001 is served.
    const served = createTileReader(async (p) => {
      const t = parseTilePath(p);
      if (t.l === 0 && t.n === 1) return t.w === 256 ? bigger.tile(p) : null;
      return db.tile(p);
    });
    expect((await verifyLookup({ module: MODULE, version: "v1.0.260", body, verifier, tiles: served })).id).toBe(260);
  });

  it("refuses a note signed by another key, a forged signature, and a changed tree head", async () => {
    const db = await database();
    const body = (await db.lookup(MODULE, "v1.0.7"))!;
    const other = generateNoteKeys("sum.example.test", seed(2));
    const otherDb = createMemoryChecksumDb(other.signerKey);
    await otherDb.add(MODULE, "v1.0.7", h1("zip 7"), h1("mod 7"));
    expect(await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body: enc((await otherDb.lookup(MODULE, "v1.0.7"))!), verifier, tiles: tilesOf(otherDb) }))).toEqual({
      code: "unverified_note",
      message: "reading tree note: note has no verifiable signatures",
    });

    const [record, note] = [body.slice(0, body.indexOf("\n\n") + 2), body.slice(body.indexOf("\n\n") + 2)];
    const sigLine = note.slice(note.indexOf("\n\n") + 2);
    const forgedSig = sigLine.replace(/ (.{30})(.)/, (_, a: string, c: string) => ` ${a}${c === "A" ? "B" : "A"}`);
    const forged = record + note.slice(0, note.indexOf("\n\n") + 2) + forgedSig;
    expect(await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body: enc(forged), verifier, tiles: tilesOf(db) }))).toEqual({
      code: "invalid_signature",
      message: `reading tree note: invalid signature for key sum.example.test+${verifier.keyHash.toString(16).padStart(8, "0")}`,
    });

    // A correctly signed head of a tree that is not the one the tiles belong to.
    const lie = signNote(formatTree({ n: 300, hash: recordHash("not this log") }), [parseSignerKey(keys.signerKey)]);
    expect(await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body: enc(record + lie), verifier, tiles: tilesOf(db) }))).toEqual({
      code: "inconsistent_tile",
      message: "downloaded inconsistent tile",
    });
  });

  it("refuses a record whose text was changed, or that claims a place beyond the tree", async () => {
    const db = await database();
    const body = (await db.lookup(MODULE, "v1.0.7"))!;
    const changed = body.replace(h1("zip 7"), h1("other bytes"));
    expect(await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body: enc(changed), verifier, tiles: tilesOf(db) }))).toEqual({
      code: "record_mismatch",
      message: "cannot authenticate record data in server response",
    });
    const moved = body.replace(/^7\n/, "300\n");
    expect(await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body: enc(moved), verifier, tiles: tilesOf(db) }))).toEqual({
      code: "not_in_tree",
      message: "cannot validate record 300 in tree of size 300",
    });
    // Another record's proof does not prove this record's text.
    const swapped = body.replace(/^7\n/, "8\n");
    expect((await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body: enc(swapped), verifier, tiles: tilesOf(db) }))).code).toBe("record_mismatch");
  });

  // Record 7's tile 8/0/000 is not one of the tree's subtree tiles (8/1/000.p/1 and 8/0/001.p/44, which holds two
  // roots): it is authenticated through its parent. x/mod's tileHashReader skips that check at this tree size.
  it("refuses garbled tiles, missing tiles and garbage answers", async () => {
    const db = await database();
    const body = enc((await db.lookup(MODULE, "v1.0.7"))!);
    const garbled = createTileReader(async (p) => {
      const d = await db.tile(p);
      if (d && parseTilePath(p).l === 0 && parseTilePath(p).n === 0) d[40]! ^= 1;
      return d;
    });
    expect((await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body, verifier, tiles: garbled }))).code).toBe("inconsistent_tile");
    expect(await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body, verifier, tiles: createTileReader(async () => null) }))).toEqual({
      code: "tile_unavailable",
      message: "tile tile/8/0/000: not served",
    });
    for (const garbage of ["<html>not found</html>", "", "7\nexample.com/pkg v1.0.7 h1:x\n", "\u00ff\u00fe"]) {
      expect((await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body: enc(garbage), verifier, tiles: tilesOf(db) }))).code, garbage).toBe("malformed_record");
    }
    expect((await failure(verifyLookup({ module: MODULE, version: "v1.0.7", body: new Uint8Array([0x37, 0x0a, 0xff, 0x0a, 0x0a]), verifier, tiles: tilesOf(db) }))).code).toBe("malformed_record");
  });

  it("says so when a verified record holds no line for the version asked", async () => {
    const db = await database();
    const body = enc((await db.lookup(MODULE, "v1.0.7"))!);
    expect(await failure(verifyLookup({ module: MODULE, version: "v1.0.8", body, verifier, tiles: tilesOf(db) }))).toEqual({
      code: "no_lines",
      message: "the checksum database's record 7 holds no go.sum line for example.com/pkg@v1.0.8",
    });
  });
});
