// Signed notes, as golang.org/x/mod/sumdb/note reads and writes them: the checksum database signs its tree
// head this way. Keys, key hashes, the note syntax and every error text follow note.go; the ed25519 maths is
// Node's crypto (OpenSSL), not ours.

import { createHash, createPrivateKey, createPublicKey, sign as signBytes, verify as verifyBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { hasLoneSurrogate, isGoSpace } from "../go-strings";

const ALG_ED25519 = 1;
const SIG_PREFIX = "\u2014 "; // "— ": an em dash and a space, as note.go writes it
const MAX_SIGNATURES = 100;
// The DER wrappers that turn a raw 32-byte ed25519 key or seed into what OpenSSL imports (RFC 8410).
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export type NoteErrorCode = "malformed_note" | "unverified_note" | "invalid_signature" | "ambiguous_key" | "bad_key";

/** An error of note.go, with its exact text (the go command prints these). */
export class NoteError extends Error {
  constructor(
    readonly code: NoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "NoteError";
  }
}

export type Verifier = { name: string; keyHash: number; verify(message: Uint8Array, signature: Uint8Array): boolean };
export type Signer = { name: string; keyHash: number; sign(message: Uint8Array): Uint8Array };
/** A signer parsed from its key, with the verifier key that goes with it (what GOSUMDB is set to). */
export type ParsedSigner = Signer & { verifierKey: string };
export type NoteSignature = { name: string; keyHash: number; base64: string };
export type OpenedNote = { text: string; signatures: NoteSignature[]; unverifiedSignatures: NoteSignature[] };

/** note.keyHash: the first 4 bytes (big-endian) of SHA-256(name ‖ "\n" ‖ alg ‖ key). */
export function noteKeyHash(name: string, algAndKey: Uint8Array): number {
  const sum = createHash("sha256").update(name).update("\n").update(algAndKey).digest();
  return sum.readUInt32BE(0);
}

/** note.isValidName: non-empty, no Unicode space, no "+". */
function isValidName(name: string): boolean {
  if (name === "" || name.includes("+") || hasLoneSurrogate(name)) return false;
  for (const ch of name) if (isGoSpace(ch.codePointAt(0) ?? 0)) return false;
  return true;
}

/** The ed25519 key pair of a 32-byte seed, and `0x01 ‖ public key` as note keys and key hashes spell it. */
function keyPairOfSeed(seed: Uint8Array): { privateKey: KeyObject; algAndPublic: Buffer } {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  const publicRaw = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(SPKI_ED25519_PREFIX.length);
  return { privateKey, algAndPublic: Buffer.concat([Buffer.from([ALG_ED25519]), publicRaw]) };
}

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** base64.StdEncoding.DecodeString: padded standard alphabet only (Buffer.from would accept anything). */
export function decodeStdBase64(s: string): Uint8Array | null {
  if (!STD_BASE64.test(s)) return null;
  return new Uint8Array(Buffer.from(s, "base64"));
}

function cut(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + sep.length)];
}

function parseKeyHash(hex: string): number | null {
  return /^[0-9a-fA-F]{8}$/.test(hex) ? Number.parseInt(hex, 16) : null;
}

function formatKeyHash(hash: number): string {
  return hash.toString(16).padStart(8, "0");
}

/** note.NewVerifier: `<name>+<hash hex8>+<base64(0x01 ‖ ed25519 public key)>`; the base64 part may hold "+". */
export function parseVerifierKey(vkey: string): Verifier {
  const [name, rest] = cut(vkey, "+");
  const [hash16, key64] = cut(rest, "+");
  const hash = parseKeyHash(hash16);
  const key = decodeStdBase64(key64);
  if (hash === null || key === null || !isValidName(name) || key.length === 0) throw new NoteError("bad_key", "malformed verifier id");
  if (hash !== noteKeyHash(name, key)) throw new NoteError("bad_key", "invalid verifier hash");
  if (key[0] !== ALG_ED25519) throw new NoteError("bad_key", "unknown verifier algorithm");
  const raw = key.subarray(1);
  if (raw.length !== 32) throw new NoteError("bad_key", "malformed verifier id");
  const publicKey: KeyObject = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
  return {
    name,
    keyHash: hash,
    verify: (message, signature) => signature.length === 64 && verifyBytes(null, message, publicKey, signature),
  };
}

/** note.NewSigner: `PRIVATE+KEY+<name>+<hash hex8>+<base64(0x01 ‖ 32-byte seed)>`; the hash is of the public key. */
export function parseSignerKey(skey: string): ParsedSigner {
  const [priv1, r1] = cut(skey, "+");
  const [priv2, r2] = cut(r1, "+");
  const [name, r3] = cut(r2, "+");
  const [hash16, key64] = cut(r3, "+");
  const hash = parseKeyHash(hash16);
  const key = decodeStdBase64(key64);
  if (priv1 !== "PRIVATE" || priv2 !== "KEY" || hash === null || key === null || !isValidName(name) || key.length === 0) {
    throw new NoteError("bad_key", "malformed signer id");
  }
  if (key[0] !== ALG_ED25519) throw new NoteError("bad_key", "unknown signer algorithm");
  if (key.length !== 33) throw new NoteError("bad_key", "malformed signer id");
  const { privateKey, algAndPublic } = keyPairOfSeed(key.subarray(1));
  if (hash !== noteKeyHash(name, algAndPublic)) throw new NoteError("bad_key", "invalid signer hash");
  return {
    name,
    keyHash: hash,
    verifierKey: `${name}+${formatKeyHash(hash)}+${algAndPublic.toString("base64")}`,
    sign: (message) => new Uint8Array(signBytes(null, message, privateKey)),
  };
}

/** A key pair in note.GenerateKey's format from a 32-byte seed (for test databases; the real key is configured). */
export function generateNoteKeys(name: string, seed: Uint8Array): { signerKey: string; verifierKey: string } {
  if (!isValidName(name) || seed.length !== 32) throw new NoteError("bad_key", "malformed signer id");
  const hash = formatKeyHash(noteKeyHash(name, keyPairOfSeed(seed).algAndPublic));
  const signerKey = `PRIVATE+KEY+${name}+${hash}+${Buffer.concat([Buffer.from([ALG_ED25519]), Buffer.from(seed)]).toString("base64")}`;
  return { signerKey, verifierKey: parseSignerKey(signerKey).verifierKey };
}

/** note.Sign for a note without earlier signatures: the text (ending in "\n"), a blank line, one line per signer. */
export function signNote(text: string, signers: readonly Signer[]): string {
  if (!text.endsWith("\n")) throw new NoteError("malformed_note", "malformed note");
  const message = Buffer.from(text, "utf8");
  let lines = "";
  for (const s of signers) {
    if (!isValidName(s.name)) throw new NoteError("malformed_note", "invalid signer");
    const sig = s.sign(message);
    const hashed = Buffer.alloc(4 + sig.length);
    hashed.writeUInt32BE(s.keyHash, 0);
    hashed.set(sig, 4);
    lines += `${SIG_PREFIX}${s.name} ${hashed.toString("base64")}\n`;
  }
  return `${text}\n${lines}`;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * note.Open: splits the text from its signatures at the last blank line and verifies each signature whose
 * (name, key hash) a verifier knows; the note opens only if at least one verifies. Unknown signers are kept
 * apart, a known signer whose signature fails is an error.
 */
export function openNote(message: Uint8Array, verifiers: readonly Verifier[]): OpenedNote {
  let msg: string;
  try {
    msg = strictUtf8.decode(message);
  } catch {
    throw new NoteError("malformed_note", "malformed note");
  }
  return openDecodedNote(msg, verifiers);
}

/** openNote for a message already decoded from valid UTF-8 (a lookup answer is decoded once, as a whole). */
export function openDecodedNote(msg: string, verifiers: readonly Verifier[]): OpenedNote {
  const malformed = () => new NoteError("malformed_note", "malformed note");
  for (let i = 0; i < msg.length; i++) {
    const c = msg.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) throw malformed();
  }
  const split = msg.lastIndexOf("\n\n");
  if (split < 0) throw malformed();
  const text = msg.slice(0, split + 1);
  let sigs = msg.slice(split + 2);
  if (sigs.length === 0 || !sigs.endsWith("\n")) throw malformed();

  const textBytes = Buffer.from(text, "utf8");
  const signatures: NoteSignature[] = [];
  const unverifiedSignatures: NoteSignature[] = [];
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  let count = 0;
  while (sigs.length > 0) {
    const nl = sigs.indexOf("\n");
    let line = sigs.slice(0, nl);
    sigs = sigs.slice(nl + 1);
    if (!line.startsWith(SIG_PREFIX)) throw malformed();
    line = line.slice(SIG_PREFIX.length);
    const [name, b64] = cut(line, " ");
    const raw = decodeStdBase64(b64);
    if (raw === null || !isValidName(name) || b64 === "" || raw.length < 5) throw malformed();
    const keyHash = Buffer.from(raw.subarray(0, 4)).readUInt32BE(0);
    const sig = raw.subarray(4);
    if (++count > MAX_SIGNATURES) throw malformed();

    const matching = verifiers.filter((v) => v.name === name && v.keyHash === keyHash);
    if (matching.length === 0) {
      if (!seenUnverified.has(line)) {
        seenUnverified.add(line);
        unverifiedSignatures.push({ name, keyHash, base64: b64 });
      }
      continue;
    }
    if (matching.length > 1) throw new NoteError("ambiguous_key", `ambiguous key ${name}+${formatKeyHash(keyHash)}`);
    const verifier = matching[0]!;
    const id = `${name}+${keyHash}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!verifier.verify(textBytes, sig)) throw new NoteError("invalid_signature", `invalid signature for key ${name}+${formatKeyHash(keyHash)}`);
    signatures.push({ name, keyHash, base64: b64 });
  }
  if (signatures.length === 0) throw new NoteError("unverified_note", "note has no verifiable signatures");
  return { text, signatures, unverifiedSignatures };
}
