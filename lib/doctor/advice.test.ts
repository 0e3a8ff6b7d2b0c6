import { describe, expect, it } from "vitest";
import { adviseGoproxy } from "./advice";
import { predictChains } from "./chains";
import type { DoctorInput } from "./types";
import { AT, BAD_ZIP_H1, doctorInput, failed, mirror, notFound, referenceSumdb, sumdbOff, withoutZip, withSumdbOff } from "./test-builders";
import type { MirrorSpec } from "./test-builders";

const GO = "https://proxy.golang.org";
const CN = "https://goproxy.cn";
const IO = "https://proxy.golang.com.cn";
const UNKNOWN = "not found: example.com/Foo/bar@v1.2.3: invalid version: unknown revision v1.2.3";

function three(specs: { go?: MirrorSpec; cn?: MirrorSpec; io?: MirrorSpec } = {}, over: Partial<DoctorInput> = {}): DoctorInput {
  return doctorInput(
    [
      mirror("proxy.golang.org", { baseUrl: GO, health: { inSyncRate: 1, p90LagSeconds: 0, errorRate: 0 }, ...specs.go }),
      mirror("goproxy.cn", { baseUrl: CN, health: { inSyncRate: 0.98, p90LagSeconds: 180, errorRate: 0.01 }, ...specs.cn }),
      mirror("proxy.golang.com.cn", { baseUrl: IO, health: { inSyncRate: 0.9, p90LagSeconds: 3600, errorRate: 0.02 }, ...specs.io }),
    ],
    { reference: "proxy.golang.org", ...over },
  );
}

const advise = (input: DoctorInput) => adviseGoproxy(input, predictChains(input));

describe("adviseGoproxy", () => {
  it("prefers the healthiest mirrors reachable from mainland China, the next one as a comma fallback, over a healthier blocked one", () => {
    const a = advise(three());
    expect(a.goproxy).toBe(`${CN},${IO}`);
    expect(a.reason.en).toBe(
      "goproxy.cn serves example.com/Foo/bar@v1.2.3 now and is the healthiest mirror reachable from mainland China (in sync 98%, p90 lag 3 min, errors 1% over the last 7 days); proxy.golang.com.cn serves it too and catches its not-found answers.",
    );
    expect(a.reason["zh-CN"]).toContain("goproxy.cn");
    expect(a.reason["zh-CN"]).toContain("中国大陆");
    expect(a.basis.ranking.map((r) => r.mirror)).toEqual(["goproxy.cn", "proxy.golang.com.cn", "proxy.golang.org"]);
    expect(a.basis.chain).toMatchObject({ goproxy: `${CN},${IO}`, result: "ok" });
  });

  it("never leads with a mirror whose bytes mismatch", () => {
    const a = advise(three({ cn: { zip: BAD_ZIP_H1 } }));
    expect(a.goproxy).toBe(IO);
  });

  it("uses a per-file order when no single reachable mirror has every file", () => {
    const a = advise(three({ cn: { zip: notFound() }, io: { info: notFound() } }));
    expect(a.goproxy).toBe(`${CN},${IO}`);
    expect(a.basis.chain?.result).toBe("ok");
  });

  it("without the zip, a per-file order is judged by the .info and .mod it asked, and the reason names no zip", () => {
    const input = three({ cn: { mod: notFound() }, io: { info: notFound() } }, { zip: false });
    const a = advise({ ...input, mirrors: input.mirrors.map(withoutZip) });
    expect(a.goproxy).toBe(`${CN},${IO}`);
    expect(a.reason.en).toBe(
      "No single reachable mirror serves all of example.com/Foo/bar@v1.2.3, but this order does: the go command takes each file from the first mirror that has it.",
    );
    expect(a.reason["zh-CN"]).not.toContain("zip");
  });

  it("when only proxy.golang.org has it, leads with goproxy.cn and says how long it should take", () => {
    const input = three({ cn: { info: notFound(UNKNOWN), context: { lagP90Seconds: 600 } }, io: { info: notFound(UNKNOWN) } }, { referenceFirstSeen: new Date(AT.getTime() - 120_000) });
    const a = advise(input);
    expect(a.goproxy).toBe(`${CN},${GO}`);
    expect(a.reason.en).toBe(
      "Only proxy.golang.org serves example.com/Foo/bar@v1.2.3 right now, and it is often unreachable from mainland China. goproxy.cn is tried first and should have it within about 8 min.",
    );
    expect(a.reason["zh-CN"]).toContain("8 分钟");
  });

  it("for a private module: GOPRIVATE and direct access", () => {
    const msg = "not found: module github.com/acme/secret: git ls-remote -q origin in /tmp/x: exit status 128:\n\tfatal: could not read Username for 'https://github.com': terminal prompts disabled";
    const gone = { info: notFound(msg), mod: notFound(msg), zip: notFound(msg) };
    const a = advise(three({ go: gone, cn: gone, io: gone }, { module: "github.com/acme/secret" }));
    expect(a.goproxy).toBe(`${CN},direct`);
    expect(a.basis.env).toEqual({ GOPRIVATE: "github.com/acme" });
    expect(a.reason.en).toContain("set GOPRIVATE=github.com/acme");
    expect(a.reason["zh-CN"]).toContain("GOPRIVATE=github.com/acme");
    expect(a.basis.blocker?.code).toBe("no_such_module");
  });

  it("when the tag does not exist, says no GOPROXY helps", () => {
    const gone = { info: notFound(UNKNOWN) };
    const a = advise(three({ go: gone, cn: gone, io: gone }));
    expect(a.goproxy).toBe(CN);
    expect(a.reason.en).toBe("No GOPROXY helps: the tag v1.2.3 does not exist at the origin as far as the mirrors can tell; fix the version or push the tag.");
    expect(a.basis.blocker?.code).toBe("no_such_version");
  });

  it("after a passive probe that found nothing cached, says a real go get may fetch it", () => {
    const cold = { info: notFound("not found: temporarily unavailable") };
    const a = advise(three({ go: { info: notFound(null) }, cn: cold, io: cold }, { fetch: false }));
    expect(a.goproxy).toBe(CN);
    expect(a.reason.en).toContain("a real go get through it fetches");
  });

  it("says so when only the origin has a file, never calling it a success", () => {
    const noZip = { zip: notFound(null) };
    const a = advise(three({ go: noZip, cn: { ...noZip, context: { lagP90Seconds: null } }, io: noZip }));
    expect(a.goproxy).toBe(`${CN},direct`);
    expect(a.basis.chain?.result).toBe("needs_direct");
    expect(a.reason.en).toContain(".zip from the origin");
  });

  it("when every mirror fails, keeps the healthiest reachable one and names the blocker", () => {
    const down = { info: failed("network", "connection refused (ECONNREFUSED)") };
    const a = advise(three({ go: down, cn: down, io: down }));
    expect(a.goproxy).toBe(CN);
    expect(a.basis.chain).toMatchObject({ goproxy: CN, result: "fail" });
    expect(a.basis.blocker?.code).toBe("mirror_error");
    expect(a.reason.en).toContain("retry later");
  });

  it("with verification off, does not advise a mirror whose bytes differ from the reference's", () => {
    const input = three({ io: { zip: BAD_ZIP_H1 } }, { sumdb: sumdbOff() });
    const off = { ...input, mirrors: input.mirrors.map(withSumdbOff) };
    const a = advise(off);
    expect(a.goproxy).toBe(CN);
    expect(a.reason.en).toContain("(checksum verification was off for this probe)");
  });

  it("when the checksum database cannot be reached and no mirror proxies it, points to sum.golang.google.cn", () => {
    const noProxy = { supported: notFound() };
    const input = three({ go: noProxy, cn: noProxy, io: noProxy }, {
      sumdb: referenceSumdb({ verified: false, source: null, zipH1: null, modH1: null, direct: failed("timeout", "timed out after 10000 ms waiting for response headers"), message: "sum.golang.org: timed out" }),
    });
    const a = advise(input);
    expect(a.goproxy).toBe(CN);
    expect(a.basis.env).toEqual({ GOSUMDB: "sum.golang.google.cn" });
    expect(a.reason.en).toBe(
      'The download cannot be verified (example.com/Foo/bar@v1.2.3: verifying go.mod: example.com/Foo/bar@v1.2.3/go.mod: Get "https://sum.golang.org/lookup/example.com/!foo/bar@v1.2.3": timed out after 10000 ms waiting for response headers); from mainland China, GOSUMDB=sum.golang.google.cn reaches the same checksum database.',
    );
  });
});
