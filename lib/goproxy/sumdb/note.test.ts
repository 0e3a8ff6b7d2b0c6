import { describe, expect, it } from "vitest";
import { NoteError, generateNoteKeys, noteKeyHash, openNote, parseSignerKey, parseVerifierKey, signNote } from "./note";

// Vectors from golang.org/x/mod sumdb/note/note_test.go (fe2ec04).
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
// golang/mod gosumcheck/main.go and cmd/go: the real checksum database's key.
const SUM_GOLANG_ORG = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

const bytes = (s: string) => new TextEncoder().encode(s);
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  return "no error";
};

describe("verifier keys (note.NewVerifier)", () => {
  it("accepts Go's test key and the real sum.golang.org key, splitting on the first two + only", () => {
    expect(parseVerifierKey(PETER_VKEY)).toMatchObject({ name: "PeterNeumann", keyHash: 0xc74f20a3 });
    expect(parseVerifierKey(SUM_GOLANG_ORG)).toMatchObject({ name: "sum.golang.org", keyHash: 0x033de0ae });
  });

  it("refuses every substring and every one-byte change of a key, as Go's test does", () => {
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i === 0 && j === PETER_VKEY.length) continue;
        expect(() => parseVerifierKey(PETER_VKEY.slice(i, j)), PETER_VKEY.slice(i, j)).toThrow(NoteError);
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const mangled = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expect(() => parseVerifierKey(mangled), mangled).toThrow(NoteError);
    }
  });

  it("says which part is wrong", () => {
    expect(errorOf(() => parseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))).toBe("malformed verifier id");
    expect(errorOf(() => parseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))).toBe("unknown verifier algorithm");
    // The key named in issue 7/11 differs from the real one in its last 18 characters: its hash does not match.
    expect(errorOf(() => parseVerifierKey("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ky/eH9wGwQ4ka5H2"))).toBe("invalid verifier hash");
  });
});

describe("signing (note.NewSigner, note.Sign)", () => {
  it("signs exactly as Go does (ed25519 is deterministic)", () => {
    expect(signNote(TEXT, [parseSignerKey(PETER_SKEY)])).toBe(`${TEXT}\n${PETER_SIG}`);
    expect(parseSignerKey(PETER_SKEY).verifierKey).toBe(PETER_VKEY);
  });

  it("refuses substrings of a signer key and a text without a final newline", () => {
    for (let i = 0; i <= PETER_SKEY.length; i++) {
      for (let j = i + 1; j <= PETER_SKEY.length; j++) {
        if (i === 0 && j === PETER_SKEY.length) continue;
        expect(() => parseSignerKey(PETER_SKEY.slice(i, j)), PETER_SKEY.slice(i, j)).toThrow(NoteError);
      }
    }
    expect(errorOf(() => signNote("abc", [parseSignerKey(PETER_SKEY)]))).toBe("malformed note");
  });

  it("makes key pairs from a seed whose halves agree", () => {
    const { signerKey, verifierKey } = generateNoteKeys("sum.example.test", new Uint8Array(32).fill(7));
    const note = signNote("hello\n", [parseSignerKey(signerKey)]);
    expect(openNote(bytes(note), [parseVerifierKey(verifierKey)]).text).toBe("hello\n");
    expect(noteKeyHash("sum.example.test", new Uint8Array([1]))).toBeTypeOf("number");
  });
});

describe("opening notes (note.Open)", () => {
  const peter = parseVerifierKey(PETER_VKEY);
  const enoch = parseVerifierKey(ENOCH_VKEY);

  it("verifies the known signer and keeps the unknown one apart", () => {
    const n = openNote(bytes(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`), [peter]);
    expect(n.text).toBe(TEXT);
    expect(n.signatures.map((s) => [s.name, s.keyHash])).toEqual([["PeterNeumann", 0xc74f20a3]]);
    expect(n.unverifiedSignatures.map((s) => s.name)).toEqual(["EnochRoot"]);
    expect(openNote(bytes(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`), [peter, enoch]).signatures).toHaveLength(2);
  });

  it("fails with Go's words: no verifiable signature, ambiguous key, a bad signature, too many", () => {
    expect(errorOf(() => openNote(bytes(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`), []))).toBe("note has no verifiable signatures");
    expect(errorOf(() => openNote(bytes(`${TEXT}\n${ENOCH_SIG}`), [enoch, peter, enoch]))).toBe("ambiguous key EnochRoot+af0cfe78");
    expect(openNote(bytes(`${TEXT}\n${PETER_SIG}`), [enoch, peter, enoch]).signatures).toHaveLength(1);
    const forged = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(errorOf(() => openNote(bytes(forged), [peter]))).toBe("invalid signature for key PeterNeumann+c74f20a3");
    expect(errorOf(() => openNote(bytes(`${TEXT}\n${PETER_SIG.repeat(101)}`), [peter]))).toBe("malformed note");
    // The signed text changed by one byte: the signature no longer matches.
    expect(errorOf(() => openNote(bytes(`${TEXT.replace("answer", "Answer")}\n${PETER_SIG}`), [peter]))).toBe("invalid signature for key PeterNeumann+c74f20a3");
  });

  it("refuses malformed messages", () => {
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
    ];
    for (const msg of bad) expect(errorOf(() => openNote(bytes(msg), [peter])), JSON.stringify(msg)).toBe("malformed note");
    const invalidUtf8 = new Uint8Array([0xff, ...bytes(`${TEXT}\n${PETER_SIG}`)]);
    expect(errorOf(() => openNote(invalidUtf8, [peter]))).toBe("malformed note");
  });
});
