// The version doctor's scenario: three mirrors named like the real ones and a handful of real module versions, so
// that every diagnosis code appears on at least one mirror. DOCTOR_CASES is the contract for the doctor's
// integration tests: probe `module@version` at DOCTOR_START and each mirror should be diagnosed as `expect` says.
//
// Checksum-database layout (sumdb name DEFAULT_SUMDB_NAME, key from the default seed):
// - proxy.golang.org proxies it faithfully;
// - goproxy.cn does not proxy it: /sumdb/<name>/supported answers 404, as during its 2024 incident. The go
//   command then asks the next GOPROXY entry or the database itself, so this alone is no failure;
// - proxy.golang.com.cn proxies it, but garbles the lookup of one version and forges the tree note of another.
import type { Fault, MirrorConfig, Scenario, SimModule } from "../types";
import { moduleFromHistory } from "./history";
import type { DiagnosisCode } from "@/lib/doctor";

// Re-exported so tests of the doctor can type their expectations from the scenario they probe.
export type { DiagnosisCode };

export const DOCTOR_START = new Date("2026-09-01T00:00:00Z");
export const DOCTOR_REFERENCE = "proxy.golang.org";
export const DOCTOR_MIRRORS = ["proxy.golang.org", "goproxy.cn", "proxy.golang.com.cn"] as const;
export type DoctorMirror = (typeof DOCTOR_MIRRORS)[number];

/** proxy.golang.com.cn answers one `.info` this late: a probe whose request timeout is below it sees a timeout. */
export const DOCTOR_SLOW_ANSWER_MS = 1500;
/** A request timeout for the doctor's tests that turns the slow answer into mirror_error and keeps the run fast. */
export const DOCTOR_PROBE_TIMEOUT_MS = 500;

export type DoctorCase = { module: string; version: string; expect: Record<DoctorMirror, DiagnosisCode>; why: string };

const JWT5 = "github.com/golang-jwt/jwt/v5";
const JWT4 = "github.com/golang-jwt/jwt/v4";
const SEMVER3 = "github.com/Masterminds/semver/v3";
const PROTOBUF = "github.com/golang/protobuf";
const SARAMA = "github.com/IBM/sarama";
const LOGRUS = "github.com/Sirupsen/logrus";
const TESTIFY_TYPO = "github.com/stetchr/testify";
const PRIVATE = "gitlab.com/azureaio/utils";
const CLIPBOARD = "github.com/skanehira/clipboard-image";

const all = (code: DiagnosisCode): Record<DoctorMirror, DiagnosisCode> => ({ "proxy.golang.org": code, "goproxy.cn": code, "proxy.golang.com.cn": code });

export const DOCTOR_CASES: DoctorCase[] = [
  {
    module: JWT5,
    version: "v5.3.1",
    expect: all("served"),
    why: "Served everywhere with the checksum database's hashes. goproxy.cn does not proxy the checksum database (/supported 404), which the go command tolerates: not a finding.",
  },
  {
    module: JWT5,
    version: "v5.3.0",
    expect: all("served"),
    why: "goproxy.cn serves it but leaves it out of @v/list and @latest (behaviour `unlisted`): served, with context.listed false there.",
  },
  {
    module: JWT4,
    version: "v4.4.0",
    expect: all("retracted_served"),
    why: "Served everywhere, but the latest go.mod (v4.5.2) says `retract v4.4.0 // Contains a backwards incompatible change to the Claims interface.`",
  },
  {
    module: SEMVER3,
    version: "v3.4.0",
    expect: { "proxy.golang.org": "served", "goproxy.cn": "not_yet_on_mirror", "proxy.golang.com.cn": "served" },
    why: "Tagged 3 minutes before DOCTOR_START. proxy.golang.org has it; goproxy.cn picks it up after 30 minutes and does not fetch on demand, so it answers 404 `unknown revision v3.4.0` (golang/go#46369); proxy.golang.com.cn got it after a minute.",
  },
  {
    module: SARAMA,
    version: "v1.50.3",
    expect: { "proxy.golang.org": "served", "goproxy.cn": "mirror_error", "proxy.golang.com.cn": "served" },
    why: "goproxy.cn lists it and serves .info and .mod, but its .zip answers 404 `not found: fetch timed out` (the goproxy library's text for an origin fetch that timed out, sent uncached): the mirror has the version and failed fetching its zip, a mirror error, not lag. The go command reads the 404 as not found and moves on.",
  },
  {
    module: JWT5,
    version: "v5.4.0",
    expect: all("no_such_version"),
    why: "No such tag: every mirror and the checksum database answer 404 `…@v5.4.0: invalid version: unknown revision v5.4.0`.",
  },
  {
    module: TESTIFY_TYPO,
    version: "v1.8.4",
    expect: all("no_such_module"),
    why: "A typo of stretchr/testify (golang/go#79494): the repository does not exist, GitHub asks for credentials, every mirror answers 404 `… terminal prompts disabled … If this is a private repository …`.",
  },
  {
    module: PRIVATE,
    version: "v1.2.0",
    expect: all("no_such_module"),
    why: "A private GitLab repository (as goproxy.cn answered in Noooste/akamai-v2-deobfuscator#1): 404 `… could not read Username for 'https://gitlab.com': terminal prompts disabled …` everywhere.",
  },
  {
    module: LOGRUS,
    version: "v1.9.3",
    expect: all("path_mismatch"),
    why: "Served everywhere (and recorded by the checksum database), but its go.mod says `module github.com/sirupsen/logrus`: `go get` fails with `module declares its path as … but was required as …` (`go mod download` does not check).",
  },
  {
    module: CLIPBOARD,
    version: "v2.0.0",
    expect: all("invalid_version"),
    why: 'A v2 tag on a path without /v2 whose tree has a go.mod: every mirror answers 404 `invalid version: module contains a go.mod file, so module path must match major version ("github.com/skanehira/clipboard-image/v2")`.',
  },
  {
    module: PROTOBUF,
    version: "v1.5.4",
    expect: { "proxy.golang.org": "served", "goproxy.cn": "mirror_error", "proxy.golang.com.cn": "served" },
    why: "goproxy.cn's CDN answers 502 Bad Gateway for the .zip (its 2019–2020 incidents): the go command stops there, even in a comma-separated GOPROXY.",
  },
  {
    module: SARAMA,
    version: "v1.60.0",
    expect: { "proxy.golang.org": "served", "goproxy.cn": "served", "proxy.golang.com.cn": "mirror_error" },
    why: `proxy.golang.com.cn answers the .info only after ${DOCTOR_SLOW_ANSWER_MS} ms: a timeout for a probe with a request timeout of DOCTOR_PROBE_TIMEOUT_MS (the go command itself would wait).`,
  },
  {
    module: SEMVER3,
    version: "v3.3.1",
    expect: { "proxy.golang.org": "served", "goproxy.cn": "served", "proxy.golang.com.cn": "hash_mismatch" },
    why: "proxy.golang.com.cn serves a different .zip (an extra file; the go.mod is the origin's), so its h1 differs from the checksum database's record (cf. goproxy.cn#183).",
  },
  {
    module: PROTOBUF,
    version: "v1.5.3",
    expect: { "proxy.golang.org": "served", "goproxy.cn": "served", "proxy.golang.com.cn": "sumdb_unverified" },
    why: "The files are the origin's, but proxy.golang.com.cn's checksum-database proxy answers the lookup with an HTML page: nothing verifies through it.",
  },
  {
    module: SARAMA,
    version: "v1.60.1",
    expect: { "proxy.golang.org": "served", "goproxy.cn": "served", "proxy.golang.com.cn": "sumdb_unverified" },
    why: "proxy.golang.com.cn's lookup carries a tree note whose signature was altered (same key name and hash): `reading tree note: invalid signature for key …`.",
  },
];

/** The go.mod of sirupsen/logrus v1.9.3: the module line is the lowercase path (requirements abridged). */
const LOGRUS_GOMOD = "module github.com/sirupsen/logrus\n\nrequire (\n\tgithub.com/stretchr/testify v1.7.0\n\tgolang.org/x/sys v0.0.0-20220715151400-c0bba94af5f8\n)\n\ngo 1.13\n";

/**
 * The modules whose trouble lies at the origin (a path mismatch, a missing and a private repository, an invalid v2
 * tag): the same at any time, so the demo stages them next to its own modules.
 */
export function doctorOriginModules(): SimModule[] {
  return doctorModules().filter((m) => [LOGRUS, TESTIFY_TYPO, PRIVATE, CLIPBOARD].includes(m.path));
}

export function doctorModules(start: Date = DOCTOR_START): SimModule[] {
  return [
    moduleFromHistory(JWT5, { keepLatest: 4 }),
    moduleFromHistory(JWT4, { keepLatest: 7 }),
    // v3.4.0 is tagged 3 minutes before start: the one version whose pickup differs between the mirrors.
    moduleFromHistory(SEMVER3, { keepLatest: 3, schedule: [new Date(start.getTime() - 3 * 60_000)], commitLeadSeconds: 600 }),
    moduleFromHistory(PROTOBUF, { keepLatest: 3, deprecatedSince: "v1.5.2" }),
    moduleFromHistory(SARAMA, { keepLatest: 3 }),
    {
      path: LOGRUS,
      versions: [
        { version: "v1.9.0", time: "2022-08-04T12:00:00Z", gomod: LOGRUS_GOMOD },
        { version: "v1.9.3", time: "2023-05-21T12:00:00Z", gomod: LOGRUS_GOMOD },
      ],
    },
    { path: TESTIFY_TYPO, origin: "missing", versions: [] },
    { path: PRIVATE, origin: "private", versions: [{ version: "v1.2.0", time: "2023-06-01T00:00:00Z", gomod: `module ${PRIVATE}\n\ngo 1.20\n` }] },
    {
      path: CLIPBOARD,
      versions: [
        { version: "v1.0.0", time: "2020-11-01T00:00:00Z", gomod: `module ${CLIPBOARD}\n\ngo 1.15\n` },
        // Tagged v2.0.0 without changing the module line (the mistake its author wrote about in 2020).
        { version: "v2.0.0", time: "2020-11-12T00:00:00Z", gomod: `module ${CLIPBOARD}\n\ngo 1.15\n`, invalid: true },
      ],
    },
  ];
}

export function doctorMirrors(): MirrorConfig[] {
  const goproxyCn: Fault[] = [
    { id: "protobuf-zip-502", module: PROTOBUF, version: "v1.5.4", kinds: ["zip"], effect: { type: "status", status: 502, body: "502 Bad Gateway" } },
    {
      id: "sarama-zip-fetch-timed-out",
      module: SARAMA,
      version: "v1.50.3",
      kinds: ["zip"],
      effect: { type: "status", status: 404, body: "not found: fetch timed out" },
    },
  ];
  const goproxyComCn: Fault[] = [
    { id: "semver-zip-different", module: SEMVER3, version: "v3.3.1", kinds: ["zip"], effect: { type: "differentBytes", marker: "rebuilt by proxy.golang.com.cn" } },
    { id: "protobuf-sumdb-garbled", module: PROTOBUF, version: "v1.5.3", kinds: ["sumdb"], effect: { type: "sumdb", mode: "garbled" } },
    { id: "sarama-sumdb-forged", module: SARAMA, version: "v1.60.1", kinds: ["sumdb"], effect: { type: "sumdb", mode: "forged" } },
    { id: "sarama-info-slow", module: SARAMA, version: "v1.60.0", kinds: ["info"], effect: { type: "latency", ms: DOCTOR_SLOW_ANSWER_MS } },
  ];
  return [
    { name: "proxy.golang.org", style: "proxy.golang.org", lagSeconds: 30, fetchOnDemand: true, honourDisableModuleFetch: true },
    {
      name: "goproxy.cn",
      style: "goproxy",
      lagSeconds: 120,
      versionLagSeconds: { [`${SEMVER3}@v3.4.0`]: 1800 },
      fetchOnDemand: false,
      sumdb: "absent",
      unlisted: [`${JWT5}@v5.3.0`],
      faults: goproxyCn,
    },
    {
      name: "proxy.golang.com.cn",
      style: "goproxy",
      lagSeconds: 600,
      versionLagSeconds: { [`${SEMVER3}@v3.4.0`]: 60 },
      fetchOnDemand: false,
      faults: goproxyComCn,
    },
  ];
}

/** Start the sim at DOCTOR_START, or at a later `start` (after 2026-07-29, the newest real tag used) with the same timeline. */
export function doctorScenario(start: Date = DOCTOR_START): Scenario {
  return { start, reference: DOCTOR_REFERENCE, sumdb: {}, modules: doctorModules(start), mirrors: doctorMirrors() };
}
