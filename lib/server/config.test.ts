import { describe, expect, it } from "vitest";
import { generateNoteKeys } from "@/lib/goproxy";
import { ConfigError, parseConfig } from "./config";

describe("parseConfig", () => {
  it("defaults to the three real mirrors with proxy.golang.org as reference", () => {
    const config = parseConfig({});
    expect(config.mirrors.map((m) => m.name)).toEqual(["goproxy.cn", "proxy.golang.com.cn", "proxy.golang.org"]);
    expect(config.mirrors[0]?.baseUrl).toBe("https://goproxy.cn");
    expect(config.referenceMirror).toBe("proxy.golang.org");
    expect(config.databasePath).toBe("data/mirrorlag.db");
    expect(config.pollIntervalSeconds).toBe(600);
    expect(config.requestTimeoutMs).toBe(10_000);
    expect(config.minRecheckSeconds).toBe(30);
    expect(config.rateLimitPerMinute).toBe(30);
  });

  it("believes no forwarded address unless TRUST_PROXY says which proxies to trust", () => {
    expect(parseConfig({}).trustProxy).toEqual({ kind: "off" });
    expect(parseConfig({ TRUST_PROXY: "1" }).trustProxy).toEqual({ kind: "hops", hops: 1 });
    expect(parseConfig({ TRUST_PROXY: "10.0.0.0/8,loopback" }).trustProxy.kind).toBe("ranges");
    expect(() => parseConfig({ TRUST_PROXY: "true" })).toThrow(ConfigError);
    expect(() => parseConfig({ TRUST_PROXY: "yes" })).toThrow(/^mirrorlag: invalid configuration: TRUST_PROXY: "yes" is neither a number of hops/);
  });

  it("caps user-started requests per mirror at 10 a second with a 10 s queue unless told otherwise", () => {
    expect(parseConfig({})).toMatchObject({ userMirrorRps: 10, userQueueSeconds: 10 });
    expect(parseConfig({ USER_MIRROR_RPS: "0", USER_QUEUE_SECONDS: "600" })).toMatchObject({ userMirrorRps: 0, userQueueSeconds: 600 });
    expect(() => parseConfig({ USER_MIRROR_RPS: "2.5" })).toThrow(/^mirrorlag: invalid configuration: USER_MIRROR_RPS: /);
    expect(() => parseConfig({ USER_QUEUE_SECONDS: "0" })).toThrow(/USER_QUEUE_SECONDS: 0 is outside/);
  });

  it("takes an ADMIN_TOKEN only if it is long enough to resist guessing", () => {
    expect(parseConfig({}).adminToken).toBeNull();
    expect(parseConfig({ ADMIN_TOKEN: "" }).adminToken).toBeNull();
    expect(parseConfig({ ADMIN_TOKEN: "x".repeat(24) }).adminToken).toBe("x".repeat(24));
    expect(() => parseConfig({ ADMIN_TOKEN: "hunter2" })).toThrow("mirrorlag: invalid configuration: ADMIN_TOKEN: must be at least 24 characters without spaces (e.g. openssl rand -base64 32)");
    expect(() => parseConfig({ ADMIN_TOKEN: `${"x".repeat(24)} y` })).toThrow(ConfigError);
  });

  it("bounds growth: MAX_WATCHED_MODULES (default 5000, 0 watches nothing new) and WATCH_EXPIRY_DAYS (default 30, 1..3650)", () => {
    expect(parseConfig({})).toMatchObject({ maxWatchedModules: 5000, watchExpiryDays: 30 });
    expect(parseConfig({ MAX_WATCHED_MODULES: "0", WATCH_EXPIRY_DAYS: "1" })).toMatchObject({ maxWatchedModules: 0, watchExpiryDays: 1 });
    expect(parseConfig({ MAX_WATCHED_MODULES: " 2 ", WATCH_EXPIRY_DAYS: "3650" })).toMatchObject({ maxWatchedModules: 2, watchExpiryDays: 3650 });
    expect(() => parseConfig({ MAX_WATCHED_MODULES: "-1" })).toThrow('mirrorlag: invalid configuration: MAX_WATCHED_MODULES: "-1" is not a whole number');
    expect(() => parseConfig({ MAX_WATCHED_MODULES: "1e3" })).toThrow(/MAX_WATCHED_MODULES: "1e3" is not a whole number/);
    expect(() => parseConfig({ WATCH_EXPIRY_DAYS: "0" })).toThrow("mirrorlag: invalid configuration: WATCH_EXPIRY_DAYS: 0 is outside 1..3650");
    expect(() => parseConfig({ WATCH_EXPIRY_DAYS: "3651" })).toThrow(/WATCH_EXPIRY_DAYS: 3651 is outside 1\.\.3650/);
  });

  it("reads LOG_LEVEL as pino's level names, info by default, and refuses others", () => {
    expect(parseConfig({}).logLevel).toBe("info");
    expect(parseConfig({ LOG_LEVEL: "" }).logLevel).toBe("info");
    for (const level of ["fatal", "error", "warn", "info", "debug", "trace", "silent"]) expect(parseConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    expect(parseConfig({ LOG_LEVEL: " WARN " }).logLevel).toBe("warn");
    expect(() => parseConfig({ LOG_LEVEL: "verbose" })).toThrow('mirrorlag: invalid configuration: LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent');
  });

  it("parses name=URL pairs in order and strips trailing slashes", () => {
    const config = parseConfig({ MIRRORS: " a=http://127.0.0.1:1/ , b=http://127.0.0.1:2/prefix/", REFERENCE_MIRROR: "b", POLL_INTERVAL_SECONDS: "0" });
    expect(config.mirrors).toEqual([
      { name: "a", baseUrl: "http://127.0.0.1:1" },
      { name: "b", baseUrl: "http://127.0.0.1:2/prefix" },
    ]);
    expect(config.pollIntervalSeconds).toBe(0);
  });

  it.each([
    [{ MIRRORS: "nourl" }, /MIRRORS: "nourl" is not a name=baseURL pair/],
    [{ MIRRORS: "a=ftp://x" }, /must be http or https/],
    [{ MIRRORS: "a=http://x,a=http://y", REFERENCE_MIRROR: "a" }, /appears twice/],
    [{ MIRRORS: "a=not a url" }, /is not a URL/],
    [{ REFERENCE_MIRROR: "nope" }, /REFERENCE_MIRROR: "nope" is not one of the MIRRORS/],
    [{ MIRRORS: "a=http://x" }, /REFERENCE_MIRROR: "proxy.golang.org" is not one of the MIRRORS \(a\) \(set REFERENCE_MIRROR/],
    [{ POLL_INTERVAL_SECONDS: "ten" }, /POLL_INTERVAL_SECONDS: "ten" is not a whole number/],
    [{ REQUEST_TIMEOUT_MS: "0" }, /REQUEST_TIMEOUT_MS: 0 is outside 1\.\.600000/],
  ])("rejects %j with one clear line", (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
    try {
      parseConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("verifies against sum.golang.org by default, with the key the go command ships", () => {
    expect(parseConfig({}).sumdb).toEqual({
      name: "sum.golang.org",
      verifierKey: "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
      url: "https://sum.golang.org",
    });
    expect(parseConfig({}).zipTimeoutMs).toBe(120_000);
  });

  it("reads SUMDB as the go command reads GOSUMDB", () => {
    expect(parseConfig({ SUMDB: "off" }).sumdb).toBeNull();
    expect(parseConfig({ SUMDB: "sum.golang.google.cn" }).sumdb).toMatchObject({ name: "sum.golang.org", url: "https://sum.golang.google.cn" });
    const { verifierKey } = generateNoteKeys("sum.example.test", new Uint8Array(32).fill(7));
    expect(parseConfig({ SUMDB: ` ${verifierKey}   http://127.0.0.1:9/sumdb/ ` }).sumdb).toEqual({ name: "sum.example.test", verifierKey, url: "http://127.0.0.1:9/sumdb" });
    expect(parseConfig({ SUMDB: verifierKey }).sumdb?.url).toBe("https://sum.example.test");
  });

  it.each([
    [{ SUMDB: "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ky/eH9wGwQ4ka5H2" }, /SUMDB: "sum\.golang\.org\+033de0ae\+.*" is not a checksum database key/],
    [{ SUMDB: "nonsense" }, /SUMDB: "nonsense" is not a checksum database key/],
    [{ SUMDB: "sum.golang.org https://a https://b" }, /SUMDB: too many fields/],
    [{ SUMDB: "sum.golang.org ftp://x" }, /SUMDB: "ftp:\/\/x" must be http or https/],
    [{ ZIP_TIMEOUT_MS: "0" }, /ZIP_TIMEOUT_MS: 0 is outside/],
  ])("rejects SUMDB/ZIP_TIMEOUT_MS %j", (env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });

  it("reads DOCTOR_EXAMPLES as module@version pairs", () => {
    expect(parseConfig({}).doctorExamples).toEqual([]);
    expect(parseConfig({ DOCTOR_EXAMPLES: " github.com/IBM/sarama@v1.60.0, gopkg.in/yaml.v3@v3.0.1 " }).doctorExamples).toEqual([
      { module: "github.com/IBM/sarama", version: "v1.60.0" },
      { module: "gopkg.in/yaml.v3", version: "v3.0.1" },
    ]);
    expect(() => parseConfig({ DOCTOR_EXAMPLES: "github.com/IBM/sarama" })).toThrow(/DOCTOR_EXAMPLES: "github\.com\/IBM\/sarama" is not module@version/);
    expect(() => parseConfig({ DOCTOR_EXAMPLES: "github.com/IBM/sarama@v1.2" })).toThrow(/DOCTOR_EXAMPLES: .* is not a canonical version/);
  });

  it("budgets 600 reads a minute per client unless READ_RATE_LIMIT_PER_MINUTE says otherwise (0: unlimited)", () => {
    expect(parseConfig({}).readRateLimitPerMinute).toBe(600);
    expect(parseConfig({ READ_RATE_LIMIT_PER_MINUTE: "0" }).readRateLimitPerMinute).toBe(0);
    expect(parseConfig({ READ_RATE_LIMIT_PER_MINUTE: " 120 " }).readRateLimitPerMinute).toBe(120);
    expect(() => parseConfig({ READ_RATE_LIMIT_PER_MINUTE: "-1" })).toThrow('mirrorlag: invalid configuration: READ_RATE_LIMIT_PER_MINUTE: "-1" is not a whole number');
    expect(() => parseConfig({ READ_RATE_LIMIT_PER_MINUTE: "lots" })).toThrow(ConfigError);
  });
});
