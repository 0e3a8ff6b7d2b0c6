import { z } from "zod";
import type { MirrorConfig } from "@/lib/check";
import { canonicalModuleVersion, checkModulePath, isValidVersion, parseVerifierKey } from "@/lib/goproxy";
import { DEFAULT_GROWTH } from "@/lib/store";
import { parseTrustProxy } from "./client-identity";
import type { TrustProxy } from "./client-identity";

/** The checksum database probes verify against, configured like the go command's GOSUMDB. */
export type SumdbConfig = { name: string; verifierKey: string; url: string };

export type Config = {
  mirrors: MirrorConfig[];
  referenceMirror: string;
  databasePath: string;
  pollIntervalSeconds: number;
  requestTimeoutMs: number;
  minRecheckSeconds: number;
  rateLimitPerMinute: number;
  retentionDays: number;
  pollConcurrency: number;
  pollMirrorRps: number;
  /** USER_MIRROR_RPS: the cap on requests per second to each mirror for work users start (checks, probes, resolutions); 0: none. */
  userMirrorRps: number;
  /** USER_QUEUE_SECONDS: how long admitted user work may wait for its mirrors' slots before new work is refused (503). */
  userQueueSeconds: number;
  port: number;
  /** null: SUMDB=off (like GOSUMDB=off): nothing is verified, and nothing claims to be. */
  sumdb: SumdbConfig | null;
  zipTimeoutMs: number;
  /** Probes at once per go.mod resolution. */
  resolveConcurrency: number;
  /** Versions the home page offers under "Try the doctor" (the demo stages one per diagnosis); empty: none. */
  doctorExamples: { module: string; version: string }[];
  /** NEXT_MANUAL_SIG_HANDLE: Next leaves SIGTERM to us, so a shutdown can let running checks finish. */
  manualSignalHandling: boolean;
  /** TRUST_PROXY: which forwarded addresses to believe for a client's identity (default: none, the TCP peer). */
  trustProxy: TrustProxy;
  /** ADMIN_TOKEN: the operator's secret (null: no token; then only a loopback-only instance has an operator). */
  adminToken: string | null;
  /** READ_RATE_LIMIT_PER_MINUTE: GET/HEAD of pages and /api/* per client a minute (0: unlimited); see read-budget.ts. */
  readRateLimitPerMinute: number;
  /** MAX_WATCHED_MODULES: past this many polled modules, a check stores a new module's evidence but does not watch it. */
  maxWatchedModules: number;
  /** WATCH_EXPIRY_DAYS: an auto-watched module nobody viewed or checked for this long is no longer polled. */
  watchExpiryDays: number;
  /** LOG_LEVEL: the least severe JSON log line written to stdout (request lines are info, 4xx warn, 5xx error). */
  logLevel: LogLevel;
};

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_MIRRORS =
  "goproxy.cn=https://goproxy.cn,proxy.golang.com.cn=https://proxy.golang.com.cn,proxy.golang.org=https://proxy.golang.org";

// sum.golang.org's verifier key as the go command knows it (cmd/go/internal/modfetch/key.go). The key quoted in
// issue 7/11 ends "s3Ky/eH9wGwQ4ka5H2" and fails its own key hash; this is the one the go command ships.
export const SUM_GOLANG_ORG_KEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
const KNOWN_SUMDB_KEYS: Record<string, string> = { "sum.golang.org": SUM_GOLANG_ORG_KEY };

/**
 * GOSUMDB's grammar (cmd/go/internal/modfetch/sumdb.go dbDial): "off", a known name, or "<key> [url]";
 * "sum.golang.google.cn" is sum.golang.org served from https://sum.golang.google.cn. The URL defaults to https://<name>.
 */
function parseSumdb(value: string, ctx: z.RefinementCtx): SumdbConfig | null {
  let text = value.trim();
  if (text === "off") return null;
  if (text === "sum.golang.google.cn") text = "sum.golang.org https://sum.golang.google.cn";
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length === 0 || fields.length > 2) {
    ctx.addIssue({ code: "custom", message: fields.length === 0 ? "missing value (use off, sum.golang.org or <name>+<hash>+<key> [url])" : "too many fields (want <key> [url])" });
    return z.NEVER;
  }
  const key = KNOWN_SUMDB_KEYS[fields[0] ?? ""] ?? fields[0] ?? "";
  let name: string;
  try {
    name = parseVerifierKey(key).name;
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `"${fields[0]}" is not a checksum database key: ${err instanceof Error ? err.message : String(err)}` });
    return z.NEVER;
  }
  const rawUrl = fields[1] ?? `https://${name}`;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    ctx.addIssue({ code: "custom", message: `"${rawUrl}" is not a URL` });
    return z.NEVER;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    ctx.addIssue({ code: "custom", message: `"${rawUrl}" must be http or https` });
    return z.NEVER;
  }
  return { name, verifierKey: key, url: url.href.replace(/\/+$/, "") };
}

/** `module@version,module@version`: each a valid module path and a canonical version. */
function parseDoctorExamples(value: string, ctx: z.RefinementCtx): { module: string; version: string }[] {
  const examples: { module: string; version: string }[] = [];
  for (const item of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = item.lastIndexOf("@");
    const modulePath = at > 0 ? item.slice(0, at) : "";
    const version = at > 0 ? item.slice(at + 1) : "";
    try {
      checkModulePath(modulePath);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `"${item}" is not module@version: ${err instanceof Error ? err.message : String(err)}` });
      return z.NEVER;
    }
    if (!isValidVersion(version) || canonicalModuleVersion(version) !== version) {
      ctx.addIssue({ code: "custom", message: `"${item}": "${version}" is not a canonical version` });
      return z.NEVER;
    }
    examples.push({ module: modulePath, version });
  }
  return examples;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const MIRROR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function parseMirrors(value: string, ctx: z.RefinementCtx): MirrorConfig[] {
  const mirrors: MirrorConfig[] = [];
  for (const pair of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf("=");
    const name = eq > 0 ? pair.slice(0, eq).trim() : "";
    const url = eq > 0 ? pair.slice(eq + 1).trim() : "";
    if (!name || !url) {
      ctx.addIssue({ code: "custom", message: `"${pair}" is not a name=baseURL pair` });
      return z.NEVER;
    }
    if (!MIRROR_NAME.test(name)) {
      ctx.addIssue({ code: "custom", message: `mirror name "${name}" may only use letters, digits, ".", "_" and "-"` });
      return z.NEVER;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      ctx.addIssue({ code: "custom", message: `"${url}" (mirror ${name}) is not a URL` });
      return z.NEVER;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: `"${url}" (mirror ${name}) must be http or https` });
      return z.NEVER;
    }
    if (mirrors.some((m) => m.name === name)) {
      ctx.addIssue({ code: "custom", message: `mirror name "${name}" appears twice` });
      return z.NEVER;
    }
    mirrors.push({ name, baseUrl: parsed.href.replace(/\/+$/, "") });
  }
  if (mirrors.length === 0) {
    ctx.addIssue({ code: "custom", message: "at least one mirror is required" });
    return z.NEVER;
  }
  return mirrors;
}

function integer(fallback: number, min: number, max: number) {
  return z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === "") return fallback;
      if (!/^\d+$/.test(raw)) {
        ctx.addIssue({ code: "custom", message: `"${raw}" is not a whole number` });
        return z.NEVER;
      }
      const n = Number(raw);
      if (n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${n} is outside ${min}..${max}` });
        return z.NEVER;
      }
      return n;
    });
}

const envSchema = z.object({
  MIRRORS: z
    .string()
    .optional()
    .transform((v, ctx) => parseMirrors(v && v.trim() ? v : DEFAULT_MIRRORS, ctx)),
  REFERENCE_MIRROR: z.string().trim().optional(),
  DATABASE_PATH: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : "data/mirrorlag.db")),
  POLL_INTERVAL_SECONDS: integer(600, 0, 7 * 24 * 3600),
  REQUEST_TIMEOUT_MS: integer(10_000, 1, 600_000),
  MIN_RECHECK_SECONDS: integer(30, 0, 24 * 3600),
  RATE_LIMIT_PER_MINUTE: integer(30, 0, 1_000_000),
  RETENTION_DAYS: integer(30, 1, 36_500),
  POLL_CONCURRENCY: integer(4, 1, 64),
  POLL_MIRROR_RPS: integer(5, 0, 1000),
  USER_MIRROR_RPS: integer(10, 0, 1000),
  USER_QUEUE_SECONDS: integer(10, 1, 600),
  PORT: integer(3000, 1, 65_535),
  SUMDB: z
    .string()
    .optional()
    .transform((v, ctx) => parseSumdb(v && v.trim() ? v : "sum.golang.org", ctx)),
  ZIP_TIMEOUT_MS: integer(120_000, 1, 3_600_000),
  RESOLVE_CONCURRENCY: integer(8, 1, 64),
  DOCTOR_EXAMPLES: z
    .string()
    .optional()
    .transform((v, ctx) => parseDoctorExamples(v ?? "", ctx)),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }),
  ADMIN_TOKEN: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return null;
      // A short or guessable token would be brute-forced through the sign-in form's budget in days, not centuries.
      if (v.length < 24 || /\s/.test(v)) {
        ctx.addIssue({ code: "custom", message: "must be at least 24 characters without spaces (e.g. openssl rand -base64 32)" });
        return z.NEVER;
      }
      return v;
    }),
  READ_RATE_LIMIT_PER_MINUTE: integer(600, 0, 1_000_000),
  MAX_WATCHED_MODULES: integer(DEFAULT_GROWTH.maxWatchedModules, 0, 10_000_000),
  WATCH_EXPIRY_DAYS: integer(DEFAULT_GROWTH.watchExpiryDays, 1, 3650),
  LOG_LEVEL: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const level = v === undefined || v === "" ? "info" : v.toLowerCase();
      if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
      ctx.addIssue({ code: "custom", message: `"${v}" is not one of ${LOG_LEVELS.join(", ")}` });
      return z.NEVER;
    }),
  NEXT_MANUAL_SIG_HANDLE: z
    .string()
    .optional()
    // As Next reads it: any non-empty value.
    .transform((v) => v !== undefined && v !== ""),
});

/** Pure: validates an environment and returns the typed configuration, or throws a one-line ConfigError. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue?.path[0] ?? "environment";
    throw new ConfigError(`mirrorlag: invalid configuration: ${String(variable)}: ${issue?.message ?? "invalid"}`);
  }
  const v = result.data;
  const referenceMirror = v.REFERENCE_MIRROR || "proxy.golang.org";
  if (!v.MIRRORS.some((m) => m.name === referenceMirror)) {
    const hint = v.REFERENCE_MIRROR ? "" : " (set REFERENCE_MIRROR to one of them)";
    throw new ConfigError(
      `mirrorlag: invalid configuration: REFERENCE_MIRROR: "${referenceMirror}" is not one of the MIRRORS (${v.MIRRORS.map((m) => m.name).join(", ")})${hint}`,
    );
  }
  return {
    mirrors: v.MIRRORS,
    referenceMirror,
    databasePath: v.DATABASE_PATH,
    pollIntervalSeconds: v.POLL_INTERVAL_SECONDS,
    requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
    minRecheckSeconds: v.MIN_RECHECK_SECONDS,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    retentionDays: v.RETENTION_DAYS,
    pollConcurrency: v.POLL_CONCURRENCY,
    pollMirrorRps: v.POLL_MIRROR_RPS,
    userMirrorRps: v.USER_MIRROR_RPS,
    userQueueSeconds: v.USER_QUEUE_SECONDS,
    port: v.PORT,
    sumdb: v.SUMDB,
    zipTimeoutMs: v.ZIP_TIMEOUT_MS,
    resolveConcurrency: v.RESOLVE_CONCURRENCY,
    doctorExamples: v.DOCTOR_EXAMPLES,
    manualSignalHandling: v.NEXT_MANUAL_SIG_HANDLE,
    trustProxy: v.TRUST_PROXY,
    adminToken: v.ADMIN_TOKEN,
    readRateLimitPerMinute: v.READ_RATE_LIMIT_PER_MINUTE,
    maxWatchedModules: v.MAX_WATCHED_MODULES,
    watchExpiryDays: v.WATCH_EXPIRY_DAYS,
    logLevel: v.LOG_LEVEL,
  };
}

let cached: Config | undefined;

/** The configuration of this process, validated once. The only place that reads process.env. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
