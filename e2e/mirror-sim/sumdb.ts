// The simulated checksum database: lib/goproxy's in-memory transparent log, signed with a test key from a fixed
// seed, filled lazily with the origin's h1 hashes of every version published by the time it is asked (like
// sum.golang.org, which only knows what exists at the origin). Also the ways a mirror's proxy of it can lie.
import { createHash } from "node:crypto";
import { compareSemver, unescapeGoPath } from "./go-rules";
import { createMemoryChecksumDb, generateNoteKeys, hashGoMod, hashZip } from "@/lib/goproxy";

export const DEFAULT_SUMDB_NAME = "sum.mirror-sim.test";
export const DEFAULT_SUMDB_SEED = "mirror-sim test checksum database";

export type SumdbEndpoint =
  | { type: "lookup"; module: string; version: string }
  | { type: "latest" }
  | { type: "tile"; path: string };

/** A version the origin has, with lazy access to its bytes (hashed once, when it is recorded). */
export type SumdbCandidate = { module: string; version: string; publishedAt: number; zip: () => Uint8Array; gomod: () => string };

export type SumdbAnswer = { status: number; contentType: string; body: Buffer };

export type SimChecksumDb = {
  name: string;
  verifierKey: string;
  /** Records in the log. */
  size(): number;
  /**
   * Records every candidate not yet in the log (oldest publication first, then path and version, so the same
   * scenario builds the same tree), then answers. `missing` is the go error for a lookup the log cannot answer.
   */
  serve(endpoint: SumdbEndpoint, candidates: () => SumdbCandidate[], missing: (module: string, version: string) => string): Promise<SumdbAnswer>;
};

const TEXT = "text/plain; charset=utf-8";

export function createSimChecksumDb(options: { name?: string; seed?: string } = {}): SimChecksumDb {
  const name = options.name ?? DEFAULT_SUMDB_NAME;
  const seed = createHash("sha256").update(options.seed ?? DEFAULT_SUMDB_SEED).digest();
  const keys = generateNoteKeys(name, new Uint8Array(seed));
  const db = createMemoryChecksumDb(keys.signerKey);
  const recorded = new Set<string>();
  // The log appends one record at a time: concurrent requests queue their additions behind each other.
  let queue: Promise<void> = Promise.resolve();

  const sync = (candidates: () => SumdbCandidate[]): Promise<void> => {
    queue = queue.then(async () => {
      const fresh = candidates()
        .filter((c) => !recorded.has(`${c.module}@${c.version}`))
        .sort((a, b) => a.publishedAt - b.publishedAt || (a.module < b.module ? -1 : a.module > b.module ? 1 : compareSemver(a.version, b.version)));
      for (const c of fresh) {
        recorded.add(`${c.module}@${c.version}`);
        await db.add(c.module, c.version, hashZip(c.zip()), hashGoMod(c.gomod()));
      }
    });
    return queue;
  };

  return {
    name,
    verifierKey: keys.verifierKey,
    size: () => db.size(),
    async serve(endpoint, candidates, missing) {
      await sync(candidates);
      if (endpoint.type === "latest") return { status: 200, contentType: TEXT, body: Buffer.from(await db.latest()) };
      if (endpoint.type === "tile") {
        const tile = await db.tile(endpoint.path);
        return tile ? { status: 200, contentType: "application/octet-stream", body: Buffer.from(tile) } : { status: 404, contentType: TEXT, body: Buffer.from("not found") };
      }
      const found = await db.lookup(endpoint.module, endpoint.version);
      if (found === null) return { status: 404, contentType: TEXT, body: Buffer.from(`not found: ${missing(endpoint.module, endpoint.version)}`) };
      return { status: 200, contentType: TEXT, body: Buffer.from(found) };
    },
  };
}

/** `lookup/<escaped M>@<escaped V>`, `latest` or `tile/…` (the part after the database's base URL). */
export function parseSumdbEndpoint(rest: string): SumdbEndpoint | undefined {
  if (rest === "latest") return { type: "latest" };
  if (rest.startsWith("tile/")) return { type: "tile", path: rest };
  if (!rest.startsWith("lookup/")) return undefined;
  const spec = rest.slice("lookup/".length);
  const at = spec.lastIndexOf("@");
  const modulePath = at > 0 ? unescapeGoPath(spec.slice(0, at)) : undefined;
  const version = at > 0 ? unescapeGoPath(spec.slice(at + 1)) : undefined;
  if (!modulePath || !version) return undefined;
  return { type: "lookup", module: modulePath, version };
}

/** What a broken proxy might put where a lookup or tree head belongs (no record id, no note). */
export const GARBLED_SUMDB_TEXT = "<html><body><h1>200 OK</h1>mirror-sim: this is not a checksum database answer</body></html>\n";

/**
 * The same text with every signature of its trailing signed note altered: key name and key hash stay, so a
 * verifier recognises the signer and rejects the signature (rather than ignoring an unknown key).
 */
export function forgeSignedNote(text: string): string {
  const split = text.lastIndexOf("\n\n");
  if (split < 0) return text;
  const sigs = text
    .slice(split + 2)
    .split("\n")
    .map((line) => {
      const m = /^(\u2014 \S+ )(\S+)$/.exec(line);
      if (!m) return line;
      const raw = Buffer.from(m[2] ?? "", "base64");
      if (raw.length < 5) return line;
      // Byte 4 is the first byte of the ed25519 signature, after the 4-byte key hash.
      raw[4] = (raw[4] ?? 0) ^ 0x01;
      return `${m[1] ?? ""}${raw.toString("base64")}`;
    });
  return text.slice(0, split + 2) + sigs.join("\n");
}

/** A hash tile whose every hash has one bit flipped: the right length, but it no longer hashes to the tree. */
export function corruptTile(tile: Buffer): Buffer {
  const out = Buffer.from(tile);
  for (let i = 0; i < out.length; i += 32) out[i] = (out[i] ?? 0) ^ 0x01;
  return out;
}
