import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashZip } from "./hash";
import { ModuleZipError, checkModuleZipEntries, hashModuleZipFile } from "./zip-file";
import { buildZip } from "./testdata/zip-writer";
import type { ZipSpec } from "./testdata/zip-writer";

const dir = mkdtempSync(join(tmpdir(), "zip-file-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const M = "example.com/m";
const V = "v1.0.0";
const P = `${M}@${V}/`;

function write(bytes: Uint8Array): string {
  const file = join(dir, `z${++n}.zip`);
  writeFileSync(file, bytes);
  return file;
}

const hashOf = (specs: ZipSpec[], opts?: { comment?: string; zip64End?: boolean }) => hashModuleZipFile(write(buildZip(specs, opts)), M, V);

describe("hashModuleZipFile", () => {
  it("gives the same h1 as the in-memory dirhash.HashZip, stored, deflated and zip64-ended", async () => {
    const specs: ZipSpec[] = [
      { name: `${P}go.mod`, content: `module ${M}\n`, method: 8 },
      { name: `${P}a.go`, content: "package m\n".repeat(1000), method: 0 },
      { name: `${P}dir/`, content: "", method: 0 },
      { name: `${P}dir/b.go`, content: "package dir\n", method: 8, dataDescriptor: true },
    ];
    for (const opts of [{}, { zip64End: true }, { comment: "a comment" }]) {
      const bytes = buildZip(specs, opts);
      const hashed = await hashModuleZipFile(write(bytes), M, V);
      expect(hashed.h1).toBe(hashZip(bytes));
      expect(hashed.files).toBe(3);
      expect(hashed.uncompressedBytes).toBe(`module ${M}\n`.length + 10_000 + 12);
    }
  });

  it.each([
    ["a name outside the module directory", [{ name: "other@v1.0.0/a.go", content: "x" }], /path does not have prefix "example\.com\/m@v1\.0\.0\/"/],
    ["a ../ name", [{ name: `${P}../evil.go`, content: "x" }], /malformed file path "\.\.\/evil\.go"/],
    ["a name that climbs after cleaning", [{ name: `${P}a/../../evil.go`, content: "x" }], /file path is not clean/],
    ["a backslash name", [{ name: `${P}a\\b.go`, content: "x" }], /malformed file path/],
    ["two entries for one file", [{ name: `${P}a.go`, content: "x" }, { name: `${P}a.go`, content: "y" }], /multiple entries for file "a\.go"/],
    ["a case collision", [{ name: `${P}A.go`, content: "x" }, { name: `${P}a.go`, content: "y" }], /case-insensitive file name collision/],
    ["a nested go.mod", [{ name: `${P}sub/go.mod`, content: "module x\n" }], /go\.mod file not in module root directory/],
    ["an upper-case GO.MOD", [{ name: `${P}GO.MOD`, content: "module x\n" }], /go\.mod files must have lowercase names/],
  ] as const)("refuses %s, as x/mod/zip does", async (_label, specs, message) => {
    const err = await hashOf([...specs]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleZipError);
    expect((err as Error).message).toMatch(message);
  });

  it("stops a deflate stream at the size its header declares (a zip bomb)", async () => {
    const err = await hashOf([{ name: `${P}bomb.txt`, content: "0".repeat(1_000_000), size: 1000 }]).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/has more bytes than its header says \(1000\)/);
  });

  it("checks each entry's CRC-32", async () => {
    const err = await hashOf([{ name: `${P}a.go`, content: "package m\n", crc: 1234 }]).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/checksum error in/);
  });

  it("refuses a file that is not a zip, and a truncated one", async () => {
    await expect(hashModuleZipFile(write(new TextEncoder().encode("not a zip at all")), M, V)).rejects.toThrow(/no end of central directory/);
    const whole = buildZip([{ name: `${P}a.go`, content: "package m\n".repeat(100) }]);
    await expect(hashModuleZipFile(write(whole.subarray(40)), M, V)).rejects.toThrow(ModuleZipError);
  });

  it("refuses contents declared larger than 500 MiB in total without reading them", () => {
    const big = { name: `${P}big.bin`, uncompressedSize: 300 * 1024 * 1024 };
    expect(() => checkModuleZipEntries([big, { ...big, name: `${P}big2.bin` }], M, V)).toThrow(/total uncompressed size of module contents too large/);
    expect(() => checkModuleZipEntries([{ name: `${P}go.mod`, uncompressedSize: 17 * 1024 * 1024 }], M, V)).toThrow(/go\.mod file too large/);
  });
});
