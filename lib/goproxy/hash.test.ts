import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashFiles, hashGoMod, hashZip } from "./hash";
import { vectors } from "./testdata/vectors";
import { buildZip } from "./testdata/zip-writer";

const h1Items = vectors.hash1.items;

// A zip written by Python's zipfile (deflated and stored entries); its h1 was computed by a separate
// Python implementation of dirhash, not by this code.
const PY_ZIP_B64 =
  "UEsDBBQAAAAIAAAAIQCSEZQrIAAAAB4AAAAbAAAAZXhhbXBsZS5jb20vbUB2MS4wLjAvZ28ubW9ky81PKc1JVUitSMwtyEnVS87P1c/l4krPVzDUMzLkAgBQSwMEFAAAAAgAAAAhAEUitypVAAAAGAYAABkAAABleGFtcGxlLmNvbS9tQHYxLjAuMC9tLmdvK0hMzk5MT1XI5eLS11fwSM3JyVcoTqwsVsgAMfW40krzkiHCGpoKxSVFmXnpCtUKRaklpUV5CkpgRToK5flFOSlKCrVcBaOmjZo2atqoaaOmDXHTAFBLAwQUAAAAAAAAACEAxqkelQwAAAAMAAAAHAAAAGV4YW1wbGUuY29tL21AdjEuMC4wL0xJQ0VOU0VzdG9yZWQgZW50cnlQSwECFAMUAAAACAAAACEAkhGUKyAAAAAeAAAAGwAAAAAAAAAAAAAAgAEAAAAAZXhhbXBsZS5jb20vbUB2MS4wLjAvZ28ubW9kUEsBAhQDFAAAAAgAAAAhAEUitypVAAAAGAYAABkAAAAAAAAAAAAAAIABWQAAAGV4YW1wbGUuY29tL21AdjEuMC4wL20uZ29QSwECFAMUAAAAAAAAACEAxqkelQwAAAAMAAAAHAAAAAAAAAAAAAAAgAHlAAAAZXhhbXBsZS5jb20vbUB2MS4wLjAvTElDRU5TRVBLBQYAAAAAAwADANoAAAArAQAAAAA=";
const PY_ZIP_H1 = "h1:HwL+twI5h39CDSS5kfoaUhPpLvknSzTkvZb2e1+T+uI=";

describe("hashFiles (dirhash.Hash1)", () => {
  it("matches x/mod hash_test.go TestHash1, including its summary lines", () => {
    const item = h1Items.find((i) => i.files && i.h1)!;
    const files = Object.entries(item.files!).map(([name, content]) => ({ name, content }));
    expect(hashFiles(files)).toBe(item.h1);
    // The summary is what gets hashed: check it independently.
    const summary = createHash("sha256").update(item.summary!).digest("base64");
    expect(item.h1).toBe(`h1:${summary}`);
  });

  it("rejects names containing a newline (x/mod hash_test.go)", () => {
    const item = h1Items.find((i) => i.expectError)!;
    const files = Object.entries(item.files!).map(([name, content]) => ({ name, content }));
    expect(() => hashFiles(files)).toThrow(item.expectError);
  });

  it("sorts names by UTF-8 bytes, not UTF-16 code units", () => {
    // U+FF01 (EF BC 81) sorts before U+1F600 (F0 9F 98 80) in Go, after it in JS string order.
    // Expected values come from an independent Python implementation.
    const files = [
      { name: "\u{1F600}", content: "emoji" },
      { name: "\uFF01", content: "fullwidth" },
    ];
    expect(hashFiles(files)).toBe("h1:AYAHIZwmVNRPhzrFV+NO6XqzJK4czoKA/c+x0Na67Q4=");
    expect(hashFiles([...files].reverse())).toBe("h1:AYAHIZwmVNRPhzrFV+NO6XqzJK4czoKA/c+x0Na67Q4=");
    expect(hashFiles(files)).not.toBe("h1:auQ93PFurePGfd4nr5LAfwDRoTXpH2W07zqaXFj0YVo=");
  });

  it("hashes string contents as UTF-8, same as bytes", () => {
    const s = hashFiles([{ name: "a", content: "héllo" }]);
    expect(hashFiles([{ name: "a", content: new TextEncoder().encode("héllo") }])).toBe(s);
    expect(hashFiles([{ name: "a", content: "hello" }])).not.toBe(s);
  });

  it("hashes an empty file set to the hash of an empty summary", () => {
    expect(hashFiles([])).toBe(`h1:${createHash("sha256").update("").digest("base64")}`);
  });
});

describe("hashGoMod", () => {
  it("matches sum.golang.org's /go.mod hash for github.com/google/uuid v1.1.1", () => {
    const item = h1Items.find((i) => i.module === "github.com/google/uuid")!;
    // That version has no go.mod of its own, so the proxy serves the synthetic one.
    expect(hashGoMod("module github.com/google/uuid\n")).toBe(item.goModH1);
    expect(hashGoMod(new TextEncoder().encode("module github.com/google/uuid\n"))).toBe(item.goModH1);
  });

  it("is sensitive to every byte (no normalisation of line endings)", () => {
    expect(hashGoMod("module github.com/google/uuid\r\n")).not.toBe(hashGoMod("module github.com/google/uuid\n"));
  });

  it("is Hash1 of one file named go.mod", () => {
    expect(hashGoMod("x")).toBe(hashFiles([{ name: "go.mod", content: "x" }]));
  });
});

describe("hashZip (dirhash.HashZip)", () => {
  const zipItem = h1Items.find((i) => i.zipEntries)!;
  const entries = Object.entries(zipItem.zipEntries!);

  it("matches x/mod hash_test.go TestHashZip for deflated entries", () => {
    expect(hashZip(buildZip(entries.map(([name, content]) => ({ name, content }))))).toBe(zipItem.h1);
  });

  it("gives the same hash for stored entries, data descriptors and other entry orders", () => {
    const specs = entries.map(([name, content]) => ({ name, content }));
    expect(hashZip(buildZip(specs.map((s) => ({ ...s, method: 0 as const }))))).toBe(zipItem.h1);
    expect(hashZip(buildZip(specs.map((s) => ({ ...s, dataDescriptor: true }))))).toBe(zipItem.h1);
    expect(hashZip(buildZip([...specs].reverse()))).toBe(zipItem.h1);
  });

  it("matches an independent implementation on a zip written by Python's zipfile", () => {
    expect(hashZip(new Uint8Array(Buffer.from(PY_ZIP_B64, "base64")))).toBe(PY_ZIP_H1);
  });

  it("keeps the module@version/ prefix in names", () => {
    const zip = buildZip([{ name: "example.com/m@v1.0.0/go.mod", content: "module example.com/m\n" }]);
    expect(hashZip(zip)).toBe(hashFiles([{ name: "example.com/m@v1.0.0/go.mod", content: "module example.com/m\n" }]));
  });

  it("sorts entry names by UTF-8 bytes", () => {
    const zip = buildZip([
      { name: "m@v1.0.0/\u{1F600}", content: "emoji" },
      { name: "m@v1.0.0/\uFF01", content: "fullwidth" },
    ]);
    const lines = [
      ["m@v1.0.0/\uFF01", "fullwidth"],
      ["m@v1.0.0/\u{1F600}", "emoji"],
    ]
      .map(([n, c]) => `${createHash("sha256").update(c!).digest("hex")}  ${n}\n`)
      .join("");
    expect(hashZip(zip)).toBe(`h1:${createHash("sha256").update(lines).digest("base64")}`);
  });

  it("lists a repeated name twice, hashed with the last entry's content (as Go's map does)", () => {
    const zip = buildZip([
      { name: "m@v1/a", content: "first" },
      { name: "m@v1/a", content: "second" },
    ]);
    expect(hashZip(zip)).toBe(
      hashFiles([
        { name: "m@v1/a", content: "second" },
        { name: "m@v1/a", content: "second" },
      ]),
    );
  });

  it("fails on a corrupt entry instead of hashing garbage", () => {
    expect(() => hashZip(buildZip([{ name: "m@v1/a", content: "data", crc: 1234 }]))).toThrow(/checksum error/);
  });

  it("rejects an entry name with a newline", () => {
    expect(() => hashZip(buildZip([{ name: "m@v1/a\nb", content: "x" }]))).toThrow(
      "dirhash: filenames with newlines are not supported",
    );
  });
});
