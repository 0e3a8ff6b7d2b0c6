import { describe, expect, it } from "vitest";
import { readZipEntries, readZipEntryData } from "./zip-reader";
import { buildZip } from "./testdata/zip-writer";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const contents = (zip: Uint8Array) => readZipEntries(zip).map((e) => [e.name, text(readZipEntryData(zip, e))]);

describe("readZipEntries / readZipEntryData", () => {
  it("reads stored and deflated entries in central-directory order", () => {
    const zip = buildZip([
      { name: "m@v1.0.0/b.go", content: "package b\n".repeat(50), method: 8 },
      { name: "m@v1.0.0/a.go", content: "package a\n", method: 0 },
    ]);
    expect(contents(zip)).toEqual([
      ["m@v1.0.0/b.go", "package b\n".repeat(50)],
      ["m@v1.0.0/a.go", "package a\n"],
    ]);
    const [b, a] = readZipEntries(zip);
    expect(b).toMatchObject({ method: 8, uncompressedSize: 500 });
    expect(b!.compressedSize).toBeLessThan(500);
    expect(a).toMatchObject({ method: 0, compressedSize: 10, uncompressedSize: 10 });
  });

  it("uses the local header's own name and extra lengths to find the data", () => {
    const zip = buildZip([{ name: "m@v1/x", content: "payload", localExtra: new Uint8Array(13).fill(7) }]);
    expect(contents(zip)).toEqual([["m@v1/x", "payload"]]);
  });

  it("reads entries written with data descriptors", () => {
    const zip = buildZip([{ name: "m@v1/x", content: "streamed", dataDescriptor: true }]);
    expect(contents(zip)).toEqual([["m@v1/x", "streamed"]]);
  });

  it("finds the end record behind an archive comment", () => {
    const zip = buildZip([{ name: "m@v1/x", content: "c" }], { comment: "PK\x05\x06 looks like a signature" });
    expect(contents(zip)).toEqual([["m@v1/x", "c"]]);
  });

  it("follows a zip64 end-of-central-directory record", () => {
    const zip = buildZip(
      [
        { name: "m@v1/x", content: "one" },
        { name: "m@v1/y", content: "two" },
      ],
      { zip64End: true },
    );
    expect(contents(zip)).toEqual([
      ["m@v1/x", "one"],
      ["m@v1/y", "two"],
    ]);
  });

  it("keeps raw name bytes even when they are not UTF-8", () => {
    const zip = buildZip([{ name: new Uint8Array([0x6d, 0x2f, 0xff]), content: "x" }]);
    const [e] = readZipEntries(zip);
    expect([...e!.nameBytes]).toEqual([0x6d, 0x2f, 0xff]);
    expect(e!.name).toBe("m/\uFFFD");
  });

  it("reads an empty archive", () => {
    expect(readZipEntries(buildZip([]))).toEqual([]);
  });

  it.each([
    ["not a zip", new TextEncoder().encode("this is not a zip file at all, just text"), /no end of central directory/],
    ["empty input", new Uint8Array(), /no end of central directory/],
  ])("rejects %s", (_, bytes, err) => {
    expect(() => readZipEntries(bytes)).toThrow(err);
  });

  it("rejects a truncated archive", () => {
    const zip = buildZip([{ name: "m@v1/x", content: "some content here" }]);
    // Drop the first 20 bytes: the directory now points past the data it describes.
    const cut = zip.subarray(20);
    expect(() => contents(cut)).toThrow(/zip:/);
  });

  it("detects a CRC mismatch", () => {
    const zip = buildZip([{ name: "m@v1/x", content: "data", crc: 0xdeadbeef }]);
    const [e] = readZipEntries(zip);
    expect(() => readZipEntryData(zip, e!)).toThrow('zip: checksum error in "m@v1/x"');
  });

  it("detects a size that disagrees with the header, without inflating past it", () => {
    const zip = buildZip([{ name: "m@v1/x", content: "a".repeat(10_000), size: 10 }]);
    const [e] = readZipEntries(zip);
    expect(() => readZipEntryData(zip, e!)).toThrow(/zip: entry "m@v1\/x"/);
  });

  it("rejects unsupported compression methods", () => {
    const zip = buildZip([{ name: "m@v1/x", content: "data", method: 12 }]);
    const [e] = readZipEntries(zip);
    expect(() => readZipEntryData(zip, e!)).toThrow("uses unsupported compression method 12");
  });

  it("works on a Uint8Array view into a larger buffer", () => {
    const zip = buildZip([{ name: "m@v1/x", content: "view" }]);
    const big = new Uint8Array(zip.length + 64);
    big.set(zip, 32);
    const view = big.subarray(32, 32 + zip.length);
    expect(contents(view)).toEqual([["m@v1/x", "view"]]);
  });
});
