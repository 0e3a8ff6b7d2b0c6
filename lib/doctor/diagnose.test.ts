import { describe, expect, it } from "vitest";
import { diagnose, diagnosisText } from "./diagnose";
import type { Diagnosis, DoctorInput } from "./types";
import {
  AT,
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

const MV = `${MODULE}@v1.2.3`;
const UNKNOWN = `not found: ${MV}: invalid version: unknown revision v1.2.3`;

function of(input: DoctorInput, name: string): Diagnosis {
  const d = diagnose(input)[name];
  if (!d) throw new Error(`no diagnosis for ${name}`);
  return d;
}

/** The English sentence, and the Chinese one, which must carry the same ASCII facts. */
function texts(d: Diagnosis, facts: string[]): string {
  const zh = diagnosisText(d, "zh-CN");
  expect(zh).not.toBe("");
  expect(zh).toMatch(/[\u4e00-\u9fff]/);
  for (const fact of facts) expect(zh).toContain(fact);
  return diagnosisText(d, "en");
}

describe("diagnose", () => {
  it("served: bytes match the verified record", () => {
    const d = of(doctorInput([mirror("ref"), mirror("goproxy.cn")]), "goproxy.cn");
    expect(d).toMatchObject({ code: "served", verdict: "ok", facts: { zipH1: ZIP_H1, modH1: MOD_H1, checksumDb: "sum.golang.org" } });
    expect(texts(d, ["goproxy.cn", MV, "sum.golang.org"])).toBe(`goproxy.cn serves ${MV}; its zip and go.mod match the verified record of sum.golang.org.`);
  });

  it("retracted_served: quotes the rationale and says what still works", () => {
    const d = of(doctorInput([mirror("ref", { context: { retracted: { rationale: "Published too early." } } })]), "ref");
    expect(d).toMatchObject({ code: "retracted_served", verdict: "ok" });
    expect(texts(d, ["Published too early.", `go get ${MV}`, "go list -m -versions"])).toBe(
      `ref serves ${MV}, which its author retracted ("Published too early."). go get ${MV} still works, but @latest and go list -m -versions skip it.`,
    );
  });

  it("not_yet_on_mirror: when the reference first had it, and the wait from the mirror's p90 lag", () => {
    const input = doctorInput([mirror("ref"), mirror("goproxy.cn", { info: notFound(UNKNOWN), context: { lagP90Seconds: 600 } })], {
      referenceFirstSeen: new Date(AT.getTime() - 4 * 60_000),
    });
    const d = of(input, "goproxy.cn");
    expect(d).toMatchObject({
      code: "not_yet_on_mirror",
      verdict: "not_found",
      facts: { servedBy: "ref", sinceFirstSeenSeconds: 240, lagP90Seconds: 600, expectedWaitSeconds: 360, kind: "unknown_revision", step: "info", status: 404 },
    });
    expect(texts(d, ["goproxy.cn", MV, "ref", "2026-12-03 11:56 UTC", "10 分钟", "6 分钟"])).toBe(
      `goproxy.cn answers 404 ("${UNKNOWN}") for .info of ${MV} while ref serves it (first seen 2026-12-03 11:56 UTC). Given its p90 lag of 10 min, expect it within about 6 min.`,
    );
  });

  it("not_yet_on_mirror past its p90 lag says a not-found can be cached", () => {
    const input = doctorInput([mirror("ref"), mirror("m", { zip: notFound(null), context: { lagP90Seconds: 120 } })], { referenceFirstSeen: new Date(AT.getTime() - 3600_000) });
    const d = of(input, "m");
    expect(d).toMatchObject({ code: "not_yet_on_mirror", facts: { expectedWaitSeconds: 0, step: "zip" } });
    expect(texts(d, ["m", "2 分钟", "30 分钟"])).toBe(
      `m answers 404 for .zip of ${MV} while ref serves it (first seen 2026-12-03 11:00 UTC). That is already longer than its p90 lag of 2 min; a mirror may keep a not-found for up to 30 minutes.`,
    );
  });

  it("passive probe: a mirror that had not cached it may still pull it through on a real go get", () => {
    const input = doctorInput([mirror("ref", { info: notFound(null) }), mirror("goproxy.cn", { info: notFound("not found: temporarily unavailable") })], { fetch: false });
    const d = of(input, "goproxy.cn");
    expect(d).toMatchObject({ code: "not_yet_on_mirror", facts: { passiveNotCached: true, servedBy: null, kind: "temporarily_unavailable" } });
    expect(texts(d, ["goproxy.cn", "Disable-Module-Fetch", "go get"])).toBe(
      `goproxy.cn answers 404 ("not found: temporarily unavailable") for .info of ${MV}. The probe did not let it fetch (Disable-Module-Fetch) and it had not cached the version; a real go get, which fetches, may pull it through.`,
    );
  });

  it("a 410 is explained as the go command reads it, never as a retraction", () => {
    const input = doctorInput([mirror("ref"), mirror("old", { info: notFound(UNKNOWN, 410) })]);
    const d = of(input, "old");
    expect(d).toMatchObject({ code: "not_yet_on_mirror", facts: { status: 410 } });
    const en = texts(d, ["410 Gone", "404"]);
    expect(en).toBe(
      `old answers 410 Gone ("${UNKNOWN}"; to the go command the same as 404, not a retraction) for .info of ${MV} while ref serves it. Its lag has not been measured; a mirror may keep a not-found for up to 30 minutes.`,
    );
    expect(en).not.toMatch(/\bretracted\b/);
  });

  it("no_such_version: every mirror, the reference included, says unknown revision", () => {
    const input = doctorInput([mirror("ref", { info: notFound(UNKNOWN) }), mirror("goproxy.cn", { info: notFound(UNKNOWN, 404) })]);
    const d = of(input, "goproxy.cn");
    expect(d).toMatchObject({ code: "no_such_version", verdict: "not_found", facts: { evidence: "unknown_revision", confirmedByReference: true } });
    expect(texts(d, [MV, "unknown revision", "v1.2.3", "30 分钟"])).toBe(
      `No mirror serves ${MV}: goproxy.cn answers 404, and ref says "unknown revision", so the tag v1.2.3 does not exist at the origin (or did not when a mirror first asked). Check the tag name or push the tag; a not-found may stay cached for up to 30 minutes.`,
    );
  });

  it("no_such_version without a reason stays an observation", () => {
    const input = doctorInput([mirror("ref", { info: notFound(null) }), mirror("b", { info: notFound(null) })]);
    const d = of(input, "b");
    expect(d).toMatchObject({ code: "no_such_version", facts: { evidence: "not_found", confirmedByReference: false } });
    expect(texts(d, [MV])).toBe(`No mirror serves ${MV}: b answers 404, and no mirror says why. Check the module path (it is case-sensitive) and the tag.`);
  });

  it("no_such_module: private or missing repository, with GOPRIVATE and direct access", () => {
    const msg = "not found: module github.com/acme/secret: git ls-remote -q origin in /tmp/gopath/pkg/mod/cache/vcs/1: exit status 128:\n\tfatal: could not read Username for 'https://github.com': terminal prompts disabled";
    const input = doctorInput([mirror("ref", { info: notFound(msg) })], { module: "github.com/acme/secret" });
    const d = of(input, "ref");
    expect(d).toMatchObject({ code: "no_such_module", verdict: "not_found", facts: { reason: "auth_required" } });
    expect(texts(d, ["GOPRIVATE=github.com/acme", "GONOSUMDB", "github.com/acme/secret"])).toBe(
      `ref cannot read the repository of github.com/acme/secret ("fatal: could not read Username for 'https://github.com': terminal prompts disabled"): it does not exist, or it is private. A private module needs GOPRIVATE=github.com/acme (which also sets GONOSUMDB) and direct access to its repository, not a mirror.`,
    );
  });

  it("path_mismatch: quotes both paths", () => {
    const d = of(doctorInput([mirror("ref", { modulePath: "example.com/other/bar" })]), "ref");
    expect(d).toMatchObject({ code: "path_mismatch", verdict: "error", facts: { declared: "example.com/other/bar", required: MODULE } });
    expect(texts(d, ["example.com/other/bar", MODULE, "module declares its path as"])).toBe(
      `ref serves ${MV}, but its go.mod declares module example.com/other/bar: go get ${MODULE}@v1.2.3 fails with "module declares its path as: example.com/other/bar but was required as: ${MODULE}". Require example.com/other/bar instead.`,
    );
  });

  it("invalid_version: a v2+ tag with a go.mod on a path without /v2", () => {
    const msg = `not found: ${MODULE}@v2.0.0: invalid version: module contains a go.mod file, so module path must match major version ("${MODULE}/v2")`;
    const input = doctorInput([mirror("ref", { info: notFound(msg) })], { version: "v2.0.0" });
    const d = of(input, "ref");
    expect(d).toMatchObject({ code: "invalid_version", verdict: "not_found", facts: { kind: "invalid_version_incompatible", servedBy: null } });
    expect(texts(d, [`${MODULE}/v2`, "v2.0.0"])).toBe(
      `ref says v2.0.0 is not a valid version of ${MODULE}: "${msg}". A v2 tag whose tree has a go.mod belongs to the module path ${MODULE}/v2: go get ${MODULE}/v2@v2.0.0 works if that go.mod declares module ${MODULE}/v2; if it does not, the author has to fix it and tag a new version.`,
    );
  });

  it("mirror_error: a 5xx, with what it means for a comma list", () => {
    const d = of(doctorInput([mirror("ref"), mirror("goproxy.cn", { zip: http(502, "Bad Gateway") })]), "goproxy.cn");
    expect(d).toMatchObject({ code: "mirror_error", verdict: "error", facts: { step: "zip", status: 502, reason: "http_status" } });
    expect(texts(d, ["goproxy.cn", ".zip", "502", "GOPROXY", "|"])).toBe(
      `goproxy.cn failed on the .zip of ${MV}: it answered 502 ("Bad Gateway"). The go command stops a comma-separated GOPROXY here; with | after this mirror it would try the next one.`,
    );
  });

  it("mirror_error: a 404 that reports the mirror's own fetch timing out", () => {
    const d = of(doctorInput([mirror("ref"), mirror("goproxy.cn", { info: notFound("not found: fetch timed out") })]), "goproxy.cn");
    expect(d).toMatchObject({ code: "mirror_error", facts: { reason: "fetch_timed_out", status: 404 } });
    expect(texts(d, ["fetch timed out", "404"])).toBe(
      `goproxy.cn failed on the .info of ${MV}: it answered 404 "not found: fetch timed out": its own fetch from the origin timed out. The go command treats this answer as not found and moves on to the next mirror; a retry later may succeed.`,
    );
  });

  it("mirror_error: a zip over 500 MiB, and a mirror that timed out", () => {
    const big = of(doctorInput([mirror("ref", { zip: failed("too_large", "response larger than 500 MiB", 200) })]), "ref");
    expect(big).toMatchObject({ code: "mirror_error", facts: { reason: "too_large", step: "zip" } });
    expect(diagnosisText(big, "en")).toContain("its zip is over 500 MiB, the go command's limit");
    const slow = of(doctorInput([mirror("ref", { info: failed("timeout", "timed out after 10000 ms waiting for response headers") })]), "ref");
    expect(diagnosisText(slow, "en")).toBe(
      `ref failed on the .info of ${MV}: it timed out ("timed out after 10000 ms waiting for response headers"). The go command sets no timeout of its own: it would keep waiting for this mirror (and use a late answer), never moving on to the next one, whatever the separator.`,
    );
  });

  it("hash_mismatch: quotes both hashes and the go command's SECURITY ERROR", () => {
    const d = of(doctorInput([mirror("ref"), mirror("cn", { zip: BAD_ZIP_H1 })]), "cn");
    expect(d).toMatchObject({ code: "hash_mismatch", verdict: "mismatch", facts: { file: "zip", downloaded: BAD_ZIP_H1, recorded: ZIP_H1, recordSource: "direct" } });
    expect(texts(d, [BAD_ZIP_H1, ZIP_H1, "SECURITY ERROR"])).toBe(
      `cn serves a zip of ${MV} whose hash ${BAD_ZIP_H1} differs from the verified record ${ZIP_H1} of sum.golang.org. The go command stops with "SECURITY ERROR"; do not use this mirror for this version.`,
    );
    const mod = of(doctorInput([mirror("ref", { mod: BAD_MOD_H1, zip: BAD_ZIP_H1 })]), "ref");
    expect(mod.facts).toMatchObject({ file: "mod", downloaded: BAD_MOD_H1 });
  });

  it("compares with a mirror proxy's verified record when the database itself could not be read", () => {
    const input = doctorInput([mirror("ref"), mirror("cn", { mod: BAD_MOD_H1 })], {
      sumdb: referenceSumdb({ verified: false, source: null, zipH1: null, modH1: null, direct: failed("timeout", "timed out"), message: "sum.golang.org: timed out" }),
    });
    expect(of(input, "cn")).toMatchObject({ code: "hash_mismatch", facts: { recordSource: "ref", recorded: MOD_H1 } });
  });

  it("sumdb_unverified: verification off claims nothing verified", () => {
    const input = doctorInput([withSumdbOff(mirror("ref")), withSumdbOff(mirror("cn", { zip: BAD_ZIP_H1 }))], { sumdb: sumdbOff() });
    const d = of(input, "cn");
    expect(d).toMatchObject({ code: "sumdb_unverified", verdict: "ok", facts: { cause: "verification_off", sameBytesAsReference: false } });
    const en = texts(d, ["SUMDB off", "ref"]);
    expect(en).toBe(`cn serves ${MV}, but checksum verification was off for this probe (SUMDB off), so nothing here is verified. Its bytes also differ from what ref serves.`);
    expect(en).not.toMatch(/\bverified record\b/);
    expect(Object.values(diagnose(input)).map((x) => x.code)).toEqual(["sumdb_unverified", "sumdb_unverified"]);
  });

  it("sumdb_unverified: nothing verified, saying why", () => {
    const input = doctorInput([mirror("ref", { supported: notFound() })], {
      sumdb: referenceSumdb({ verified: false, source: null, zipH1: null, modH1: null, direct: failed("network", "connection refused (ECONNREFUSED)"), message: "sum.golang.org: connection refused (ECONNREFUSED)" }),
    });
    const d = of(input, "ref");
    expect(d).toMatchObject({ code: "sumdb_unverified", verdict: "ok", facts: { cause: "no_verified_record" } });
    expect(texts(d, ["ECONNREFUSED"])).toBe(`ref serves ${MV}, but it could not be verified: sum.golang.org: connection refused (ECONNREFUSED).`);
  });

  it("sumdb_unverified: the mirror's own checksum-database proxy answers garbage (an error), a 404 /supported is fine", () => {
    const input = doctorInput([mirror("ref"), mirror("cn", { lookup: failed("malformed", "malformed record data", 200) }), mirror("io", { supported: notFound() })]);
    const d = of(input, "cn");
    expect(d).toMatchObject({ code: "sumdb_unverified", verdict: "error", facts: { cause: "mirror_sumdb_broken" } });
    expect(texts(d, ["cn", MV])).toBe(
      `cn serves ${MV}, but the record its proxy of sum.golang.org serves does not verify ("malformed record data"). The go command through this mirror would fail verifying the download, whatever the bytes.`,
    );
    expect(of(input, "io").code).toBe("served");
  });

  it("a mirror that answered nothing useful gets mirror_error with the reason, never a blank", () => {
    const input = doctorInput([mirror("ref"), mirror("dead", { info: failed("network", "connection refused (ECONNREFUSED)"), mod: failed("network", "x"), zip: failed("network", "x") })]);
    const d = of(input, "dead");
    expect(d).toMatchObject({ code: "mirror_error", facts: { reason: "network", message: "connection refused (ECONNREFUSED)" } });
    expect(diagnosisText(d, "en")).toContain("the connection failed");
  });

  it("a file missing everywhere while some mirror served the .info is no missing tag", () => {
    const input = doctorInput([mirror("ref", { zip: notFound(null) }), mirror("b", { zip: notFound(null) })]);
    expect(of(input, "b")).toMatchObject({ code: "not_yet_on_mirror", facts: { servedBy: null, step: "zip" } });
  });
});

describe("quoting a long server message", () => {
  it("shows the recognised words of a long line, not its first 157 characters", () => {
    const path = `/tmp/gopath/pkg/mod/cache/vcs/${"0123456789abcdef".repeat(8)}`;
    const message = `not found: github.com/acme/secret@v1.0.0: invalid version: git ls-remote -q origin in ${path}: exit status 128: fatal: could not read Username for 'https://github.com': terminal prompts disabled`;
    const text = diagnosisText(of(doctorInput([mirror("ref", { info: notFound(message) })], { module: "github.com/acme/secret" }), "ref"), "en");
    expect(text).toContain("terminal prompts disabled");
    expect(text).toMatch(/\("….*terminal prompts disabled"\)/);
  });
});
