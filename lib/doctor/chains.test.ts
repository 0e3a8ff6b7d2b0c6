// Expected texts are go1.19.8's own output, recorded against loopback mirrors serving these answers (see chains.ts).
import { describe, expect, it } from "vitest";
import { predictChainDetails, predictChains } from "./chains";
import type { ChainDetail, DoctorInput } from "./types";
import {
  BAD_MOD_H1,
  BAD_ZIP_H1,
  MODULE,
  MOD_H1,
  ZIP_H1,
  doctorInput,
  failed,
  http,
  mirror,
  notFound,
  referenceSumdb,
  sumdbOff,
  withSumdbOff,
} from "./test-builders";

const A = "https://a.example";
const B = "https://b.example";
const MV = `${MODULE}@v1.2.3`;
const fileUrl = (base: string, ext: string) => `${base}/example.com/%21foo/bar/@v/v1.2.3.${ext}`;

function chain(input: DoctorInput, goproxy: string): ChainDetail {
  const found = predictChainDetails(input).find((c) => c.goproxy === goproxy);
  if (!found) throw new Error(`no chain ${goproxy}`);
  return found;
}

const securityError =
  "\n\nSECURITY ERROR\nThis download does NOT match the one reported by the checksum server.\nThe bits may have been replaced on the origin server, or an attacker may\nhave intercepted the download attempt.\n\nFor more information, see 'go help module-auth'.\n";

describe("predictChains: the chains compared", () => {
  it("lists each mirror alone and each ordered pair with , and |, each also followed by ,direct", () => {
    const input = doctorInput([mirror("a", { baseUrl: A }), mirror("b", { baseUrl: B })]);
    expect(predictChains(input).map((c) => c.goproxy)).toEqual([
      A,
      `${A},direct`,
      B,
      `${B},direct`,
      `${A},${B}`,
      `${A},${B},direct`,
      `${A}|${B}`,
      `${A}|${B},direct`,
      `${B},${A}`,
      `${B},${A},direct`,
      `${B}|${A}`,
      `${B}|${A},direct`,
    ]);
  });
});

describe("predictChains: the go command's fall-through rules", () => {
  it("falls through a comma list on 404 and on 410 alike", () => {
    for (const status of [404, 410]) {
      const input = doctorInput([mirror("a", { baseUrl: A, info: notFound("gone A", status) }), mirror("b", { baseUrl: B })]);
      expect(chain(input, `${A},${B}`)).toMatchObject({ result: "ok", servedBy: "a", error: null, files: { info: "b", mod: "a", zip: "a" } });
    }
  });

  it("reports the last not-found when every mirror of a comma list answers 404", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, info: notFound("first A") }), mirror("b", { baseUrl: B, info: notFound("second B") })]);
    expect(chain(input, `${A},${B}`)).toEqual({
      goproxy: `${A},${B}`,
      result: "fail",
      servedBy: null,
      error: `go: ${MV}: reading ${fileUrl(B, "info")}: 404 Not Found\n\tserver response: second B`,
      files: { info: null, mod: null, zip: null },
      sumdbVia: null,
    });
  });

  it("stops a comma list on a 500 and reports it with the server's text", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, info: http(500, "internal server error") }), mirror("b", { baseUrl: B })]);
    expect(chain(input, `${A},${B}`)).toMatchObject({
      result: "fail",
      error: `go: ${MV}: reading ${fileUrl(A, "info")}: 500 Internal Server Error\n\tserver response: internal server error`,
    });
  });

  it("falls through a | list on a 500, and keeps the 500 over a later 404", () => {
    const served = doctorInput([mirror("a", { baseUrl: A, info: http(500, "internal server error") }), mirror("b", { baseUrl: B })]);
    expect(chain(served, `${A}|${B}`)).toMatchObject({ result: "ok", servedBy: "a", files: { info: "b" } });
    const missing = doctorInput([mirror("a", { baseUrl: A, info: http(500, "boom") }), mirror("b", { baseUrl: B, info: notFound("nope") })]);
    expect(chain(missing, `${A}|${B}`).error).toBe(`go: ${MV}: reading ${fileUrl(A, "info")}: 500 Internal Server Error\n\tserver response: boom`);
  });

  it("falls through per file: a mirror that 404s only the zip still serves .info and .mod", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, zip: notFound("no zip") }), mirror("b", { baseUrl: B })]);
    expect(chain(input, `${A},${B}`)).toMatchObject({ result: "ok", servedBy: "b", files: { info: "a", mod: "a", zip: "b" }, sumdbVia: "a" });
    expect(chain(input, A)).toMatchObject({ result: "fail", error: `go: ${MV}: reading ${fileUrl(A, "zip")}: 404 Not Found\n\tserver response: no zip` });
  });

  it("needs direct access when every mirror 404s, but is ok through ,direct when the first mirror serves", () => {
    const missing = doctorInput([mirror("a", { baseUrl: A, info: notFound() }), mirror("b", { baseUrl: B, info: notFound() })]);
    expect(chain(missing, `${A},${B},direct`)).toMatchObject({ result: "needs_direct", servedBy: "a", error: null, files: { info: "direct", zip: "a" } });
    expect(chain(missing, `${A},${B}`).result).toBe("fail");
    const served = doctorInput([mirror("a", { baseUrl: A }), mirror("b", { baseUrl: B })]);
    expect(chain(served, `${A},direct`)).toMatchObject({ result: "ok", servedBy: "a", error: null });
  });

  it("never calls a zip from the origin a success", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, zip: notFound() })]);
    expect(chain(input, `${A},direct`)).toMatchObject({ result: "needs_direct", servedBy: null, files: { zip: "direct" } });
  });

  it("prints a multi-line server response on its own tab-indented lines", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, info: notFound("not found: line one\nline two") })]);
    expect(chain(input, A).error).toBe(`go: ${MV}: reading ${fileUrl(A, "info")}: 404 Not Found\n\tserver response:\n\tnot found: line one\n\tline two`);
  });

  it("prints no server response when the mirror sent none (an HTML 404)", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, info: notFound(null) })]);
    expect(chain(input, A).error).toBe(`go: ${MV}: reading ${fileUrl(A, "info")}: 404 Not Found`);
  });

  it("stops on .info that is not JSON, as an error of that proxy", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, info: failed("malformed", "expected .info JSON but got an HTML page", 200) }), mirror("b", { baseUrl: B })]);
    expect(chain(input, `${A},${B}`).error).toBe(`go: ${MV}: invalid response from proxy "${A}": invalid character '<' looking for beginning of value`);
    expect(chain(input, `${A}|${B}`).result).toBe("ok");
  });
});

describe("predictChains: checksums", () => {
  it("fails with SECURITY ERROR on the first mirror's bad zip even when the second is fine, with , and with |", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, zip: BAD_ZIP_H1 }), mirror("b", { baseUrl: B })]);
    const expected = `go: ${MV}: verifying module: checksum mismatch\n\tdownloaded: ${BAD_ZIP_H1}\n\tsum.golang.org: ${ZIP_H1}${securityError}`;
    expect(chain(input, `${A},${B}`)).toMatchObject({ result: "fail", servedBy: "a", error: expected });
    expect(chain(input, `${A}|${B}`)).toMatchObject({ result: "fail", servedBy: "a", error: expected });
    expect(chain(input, `${B},${A}`).result).toBe("ok");
  });

  it("fails on a bad go.mod with , but moves on to the next mirror's go.mod with |", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, mod: BAD_MOD_H1 }), mirror("b", { baseUrl: B })]);
    expect(chain(input, `${A},${B}`)).toMatchObject({
      result: "fail",
      servedBy: null,
      error: `go: ${MV}: verifying go.mod: checksum mismatch\n\tdownloaded: ${BAD_MOD_H1}\n\tsum.golang.org: ${MOD_H1}${securityError}`,
    });
    expect(chain(input, `${A}|${B}`)).toMatchObject({ result: "ok", servedBy: "a", files: { mod: "b", zip: "a" } });
  });

  it("reads the checksum database through the next mirror, or directly, when /supported is 404", () => {
    const input = doctorInput([
      mirror("a", { baseUrl: A, supported: notFound("status 404"), lookup: http(500) }),
      mirror("b", { baseUrl: B }),
    ]);
    expect(chain(input, `${A},${B}`)).toMatchObject({ result: "ok", sumdbVia: "b" });
    expect(chain(input, A)).toMatchObject({ result: "ok", sumdbVia: "direct" });
    expect(chain(input, `${A},direct`)).toMatchObject({ result: "ok", sumdbVia: "direct" });
  });

  it("fails when the checksum database's own lookup 404s, printing its path with a raw !", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, supported: notFound() })], {
      sumdb: referenceSumdb({ verified: false, source: null, zipH1: null, modH1: null, direct: notFound("not found: db") }),
    });
    expect(chain(input, A).error).toBe(
      `go: ${MV}: verifying go.mod: ${MV}/go.mod: reading https://sum.golang.org/lookup/example.com/!foo/bar@v1.2.3: 404 Not Found\n\tserver response: not found: db`,
    );
  });

  it("treats a failing /supported as the database being unavailable under , and falls through under |", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, supported: http(500, "status 500") }), mirror("b", { baseUrl: B })]);
    expect(chain(input, `${A},${B}`).error).toBe(
      `go: ${MV}: verifying go.mod: ${MV}/go.mod: reading ${A}/sumdb/sum.golang.org/supported: 500 Internal Server Error\n\tserver response: status 500`,
    );
    expect(chain(input, `${A}|${B}`)).toMatchObject({ result: "ok", sumdbVia: "b" });
    const noneLeft = doctorInput([mirror("a", { baseUrl: A, supported: http(500, "status 500") }), mirror("b", { baseUrl: B, supported: notFound() })]);
    expect(chain(noneLeft, `${A}|${B}`).result).toBe("fail");
    expect(chain(noneLeft, `${A}|${B},direct`)).toMatchObject({ result: "ok", sumdbVia: "direct" });
  });

  it("fails on a garbled checksum-database proxy, without falling back to the database", () => {
    const input = doctorInput([
      mirror("a", { baseUrl: A, lookup: failed("malformed", "malformed record data", 200) }),
      mirror("b", { baseUrl: B }),
    ]);
    expect(chain(input, `${A},${B}`)).toMatchObject({ result: "fail", error: `go: ${MV}: verifying go.mod: ${MV}/go.mod: malformed record data`, sumdbVia: "a" });
    expect(chain(input, `${A},direct`).result).toBe("fail");
    expect(chain(input, `${B},${A}`).result).toBe("ok");
  });

  it("re-escapes ! in a proxied lookup URL when the mirror's base URL has a path", () => {
    const base = "https://mirrors.example/goproxy";
    const input = doctorInput([mirror("a", { baseUrl: base, lookup: notFound("not found: lookup") })]);
    expect(chain(input, base).error).toBe(
      `go: ${MV}: verifying go.mod: ${MV}/go.mod: reading ${base}/sumdb/sum.golang.org/lookup/example.com/%21foo/bar@v1.2.3: 404 Not Found\n\tserver response: not found: lookup`,
    );
  });

  it("skips every checksum step when verification is off", () => {
    const input = doctorInput([withSumdbOff(mirror("a", { baseUrl: A, zip: BAD_ZIP_H1 }))], { sumdb: sumdbOff() });
    expect(chain(input, A)).toMatchObject({ result: "ok", servedBy: "a", sumdbVia: null });
  });

  it("fails after the fetch, whatever the separator, on a 200 that is not a zip", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, zip: failed("malformed", "expected a zip but got an HTML page", 200) }), mirror("b", { baseUrl: B })]);
    expect(chain(input, `${A}|${B}`)).toMatchObject({ result: "fail", servedBy: "a", error: "go: zip: not a valid zip file" });
  });

  it("falls through on a zip over 500 MiB only under |", () => {
    const input = doctorInput([mirror("a", { baseUrl: A, zip: failed("too_large", "response larger than 500 MiB", 200) }), mirror("b", { baseUrl: B })]);
    expect(chain(input, `${A},${B}`).error).toBe(`go: ${MV}: downloaded zip file too large`);
    expect(chain(input, `${A}|${B}`)).toMatchObject({ result: "ok", servedBy: "b" });
  });
});
