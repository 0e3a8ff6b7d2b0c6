// The demo: real modules on three simulated mirrors, with a few days of history before `start`
// and more publications in the hours after it (so a wall-clock demo keeps changing).
import { createHash } from "node:crypto";
import type { Fault, MirrorConfig, Scenario, SimModule } from "../types";
import type { DiagnosisCode } from "./doctor";
import { doctorOriginModules } from "./doctor";
import { moduleFromHistory } from "./history";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const DEMO_REFERENCE = "proxy.golang.org";

/** Deterministic per-version jitter in [0, 1): the same demo every run, yet not every delay equal. */
function jitter(...parts: string[]): number {
  return createHash("sha256").update(parts.join("\n")).digest().readUInt32BE(0) / 2 ** 32;
}

export function demoModules(start: Date): SimModule[] {
  const at = (offsetMs: number) => new Date(start.getTime() + offsetMs);
  return [
    // Uppercase path, retract block with a single version and three intervals, each with a rationale.
    moduleFromHistory("github.com/IBM/sarama", { schedule: [at(-2 * DAY - 10 * HOUR), at(-20 * HOUR), at(45 * MIN)], commitLeadSeconds: 1800 }),
    // +incompatible versions of a path without /vN.
    moduleFromHistory("github.com/golang-jwt/jwt", { schedule: [at(-2 * DAY - 3 * HOUR), at(-30 * HOUR)] }),
    // /v4: v4.4.0 is published, then retracted (with rationale) by v4.4.1's go.mod during the history window.
    moduleFromHistory("github.com/golang-jwt/jwt/v4", {
      schedule: [at(-2 * DAY - 12 * HOUR), at(-2 * DAY), at(-36 * HOUR), at(-26 * HOUR), at(-12 * HOUR), at(-2 * HOUR), at(3 * HOUR)],
      commitLeadSeconds: 600,
    }),
    // /v5 with pre-releases.
    moduleFromHistory("github.com/golang-jwt/jwt/v5", { schedule: [at(-1 * DAY), at(-50 * MIN), at(10 * MIN)], commitLeadSeconds: 900 }),
    // Deprecated from v1.5.2 on: the deprecation itself shows up during the history window.
    moduleFromHistory("github.com/golang/protobuf", { schedule: [at(-2 * DAY - 6 * HOUR), at(-27 * HOUR), at(2 * HOUR)], deprecatedSince: "v1.5.2" }),
    // Uppercase path with a /v3 suffix.
    moduleFromHistory("github.com/Masterminds/semver/v3", { schedule: [at(-2 * DAY), at(-10 * MIN), at(25 * MIN)], commitLeadSeconds: 3600 }),
    // Retract interval over +incompatible versions that are not listed.
    moduleFromHistory("github.com/mattn/go-sqlite3", { schedule: [at(-1 * DAY), at(-6 * HOUR), at(90 * MIN)] }),
    // Every version retracted.
    moduleFromHistory("github.com/creachadair/ffs/storage", { schedule: [at(-1 * DAY - 4 * HOUR)] }),
  ];
}

/** Never seen by the demo's laggard: the doctor's "not yet on this mirror" (proxy.golang.org has had it for months). */
const STUCK_ON_LAGGARD = "github.com/golang-jwt/jwt/v5@v5.2.2";

/**
 * One version per diagnosis the doctor can give, staged by the demo (the home page offers them as "Try the doctor"
 * through DOCTOR_EXAMPLES). `expect` is what a fetching probe of it says, for the mirror named.
 */
export const DEMO_DOCTOR_EXAMPLES: { module: string; version: string; mirror: string; expect: DiagnosisCode }[] = [
  { module: "github.com/golang-jwt/jwt/v5", version: "v5.2.1", mirror: "goproxy.cn", expect: "served" },
  { module: "github.com/golang-jwt/jwt/v4", version: "v4.4.0", mirror: "proxy.golang.org", expect: "retracted_served" },
  { module: "github.com/golang-jwt/jwt/v5", version: "v5.2.2", mirror: "proxy.golang.com.cn", expect: "not_yet_on_mirror" },
  { module: "github.com/golang-jwt/jwt/v5", version: "v5.9.0", mirror: "proxy.golang.org", expect: "no_such_version" },
  { module: "github.com/stetchr/testify", version: "v1.8.4", mirror: "goproxy.cn", expect: "no_such_module" },
  { module: "gitlab.com/azureaio/utils", version: "v1.2.0", mirror: "goproxy.cn", expect: "no_such_module" },
  { module: "github.com/Sirupsen/logrus", version: "v1.9.3", mirror: "proxy.golang.org", expect: "path_mismatch" },
  { module: "github.com/skanehira/clipboard-image", version: "v2.0.0", mirror: "proxy.golang.org", expect: "invalid_version" },
  { module: "github.com/golang/protobuf", version: "v1.5.3", mirror: "goproxy.cn", expect: "mirror_error" },
  { module: "github.com/Masterminds/semver/v3", version: "v3.2.1", mirror: "proxy.golang.com.cn", expect: "hash_mismatch" },
  { module: "github.com/golang/protobuf", version: "v1.5.1", mirror: "proxy.golang.com.cn", expect: "sumdb_unverified" },
];

/** The modules the demo polls: the doctor's origin-trouble modules exist only for probes. */
export function demoPolledModules(scenario: Scenario): string[] {
  const originOnly = new Set(doctorOriginModules().map((m) => m.path));
  return scenario.modules.map((m) => m.path).filter((p) => !originOnly.has(p));
}

export function demoMirrors(start: Date): MirrorConfig[] {
  const at = (offsetMs: number) => new Date(start.getTime() + offsetMs);
  const sarama404: Fault[] = [
    // goproxy.cn answers 404 for sarama for a few hours of the history, and again soon after start.
    { id: "sarama-404-past", module: "github.com/IBM/sarama", from: at(-30 * HOUR), until: at(-26 * HOUR), effect: { type: "status", status: 404 } },
    { id: "sarama-404-soon", module: "github.com/IBM/sarama", from: at(20 * MIN), until: at(80 * MIN), effect: { type: "status", status: 404 } },
  ];
  return [
    {
      // The reference: pull-through, picks up within a couple of minutes, honours Disable-Module-Fetch.
      name: "proxy.golang.org",
      style: "proxy.golang.org",
      lag: (m, v) => 20 + Math.floor(jitter("proxy.golang.org", m, v) * 100),
      fetchOnDemand: true,
      honourDisableModuleFetch: true,
    },
    {
      // goproxy-based behind a 60 s CDN: strips Disable-Module-Fetch, hides retracted versions, a 404 spell.
      name: "goproxy.cn",
      style: "goproxy",
      lag: (m, v) => 60 + Math.floor(jitter("goproxy.cn", m, v) * 240),
      cdnMaxAgeSeconds: 60,
      fetchOnDemand: true,
      honourDisableModuleFetch: false,
      hideRetracted: true,
      faults: [
        ...sarama404,
        // Its CDN answers 502 for one zip (as in its 2019–2020 incidents): the doctor's mirror_error.
        { id: "protobuf-zip-502", module: "github.com/golang/protobuf", version: "v1.5.3", kinds: ["zip"], effect: { type: "status", status: 502, body: "502 Bad Gateway" } },
      ],
    },
    {
      // The laggard: minutes to hours, no pull-through; serves different bytes for one version.
      name: "proxy.golang.com.cn",
      style: "goproxy",
      lag: (m, v) => (`${m}@${v}` === STUCK_ON_LAGGARD ? 10 * 365 * 24 * 3600 : 15 * 60 + Math.floor(jitter("proxy.golang.com.cn", m, v) * 165 * 60)),
      fetchOnDemand: false,
      faults: [
        {
          id: "semver-different-bytes",
          module: "github.com/Masterminds/semver/v3",
          version: "v3.3.1",
          effect: { type: "differentBytes", marker: "rebuilt by proxy.golang.com.cn" },
        },
        // An older version it has served differently all along (the doctor's hash_mismatch), and a checksum-database
        // lookup it garbles (sumdb_unverified).
        { id: "semver-zip-different", module: "github.com/Masterminds/semver/v3", version: "v3.2.1", kinds: ["zip"], effect: { type: "differentBytes", marker: "rebuilt by proxy.golang.com.cn" } },
        { id: "protobuf-sumdb-garbled", module: "github.com/golang/protobuf", version: "v1.5.1", kinds: ["sumdb"], effect: { type: "sumdb", mode: "garbled" } },
      ],
    },
  ];
}

export function demoScenario(start: Date): Scenario {
  return { start, reference: DEMO_REFERENCE, sumdb: {}, modules: [...demoModules(start), ...doctorOriginModules()], mirrors: demoMirrors(start) };
}
