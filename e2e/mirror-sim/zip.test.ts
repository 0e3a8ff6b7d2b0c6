import { describe, expect, it } from "vitest";
import { createZip, readZip } from "./zip";
import { hashFiles, hashZip } from "@/lib/goproxy";

describe("zip writer", () => {
  it("round-trips stored and deflated entries", () => {
    const big = "package x\n".repeat(500);
    const zip = createZip([
      { name: "m@v1.0.0/go.mod", data: "module m\n" },
      { name: "m@v1.0.0/big.go", data: big },
      { name: "m@v1.0.0/ü.txt", data: Buffer.from([0, 1, 2]) },
    ]);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(["m@v1.0.0/go.mod", "m@v1.0.0/big.go", "m@v1.0.0/ü.txt"]);
    expect(entries[1]?.data.toString()).toBe(big);
    expect(zip.length).toBeLessThan(big.length); // deflate used
    expect([...(entries[2]?.data ?? [])]).toEqual([0, 1, 2]);
  });

  it("is readable by lib/goproxy's zip reader: hashZip equals the h1 of the files", () => {
    const files = { "m@v1.0.0/go.mod": "module m\n", "m@v1.0.0/a.go": "package a\n".repeat(50) };
    const zip = createZip(Object.entries(files).map(([name, data]) => ({ name, data })));
    expect(hashZip(zip)).toBe(hashFiles(Object.entries(files).map(([name, content]) => ({ name, content }))));
  });

  it("is deterministic", () => {
    const e = [{ name: "m@v1/a", data: "a" }];
    expect(createZip(e, new Date("2020-05-05T10:00:00Z")).equals(createZip(e, new Date("2020-05-05T10:00:00Z")))).toBe(true);
  });
});
