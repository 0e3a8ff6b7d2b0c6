// The whole-go.mod scenario (issue 8/11): a go.mod of 50 requirements, every one a real module path at a real
// version (the ten modules of data/go-module-histories.json and the requirements their real go.mod files name),
// served by three mirrors named like the real ones and a checksum database, with six staged failures:
//   (a) missing:      Masterminds/semver/v3 v3.4.0 was tagged 3 minutes before the start; goproxy.cn has not picked it up
//   (b) unknown:      stetchr/testify v1.8.4 (a typo of stretchr): no mirror and no origin knows the path
//   (c) contradicted: proxy.golang.com.cn serves another go.mod for golang-jwt/jwt/v5 v5.3.1 than the checksum
//                     database records and the go.sum says (the go.sum is right)
//   (d) replaced:     dgrijalva/jwt-go v3.2.0+incompatible => golang-jwt/jwt v3.2.2+incompatible (no mirror serves
//                     dgrijalva here, so only a resolution that honours the replace succeeds)
//   (e) local:        creachadair/ffs/storage => ./third_party/ffs-storage (a directory: nothing fetched)
//   (f) excluded:     mattn/go-sqlite3 v1.14.48 is required and excluded
// The served go.mod files are self-contained: each names only modules of the go.mod below at versions no higher
// than it requires, and the go.mod files with requirements say go >= 1.17 (pruned), so `go mod download` loads
// nothing past the 50.
import { loadHistories, moduleFromHistory } from "./history";
import type { MirrorConfig, Scenario, SimModule } from "../types";

export const RESOLVE_START = new Date("2026-09-01T00:00:00Z");
export const RESOLVE_REFERENCE = "proxy.golang.org";
export const RESOLVE_MIRRORS = ["proxy.golang.org", "goproxy.cn", "proxy.golang.com.cn"] as const;
export type ResolveMirror = (typeof RESOLVE_MIRRORS)[number];
export const RESOLVE_MAIN_MODULE = "example.com/kafka-archiver";

export type Stage = "missing" | "unknown" | "contradicted" | "replaced" | "local" | "excluded";

export type ResolveRequirement = { module: string; version: string; indirect: boolean; stage: Stage | null };

const SEMVER3 = "github.com/Masterminds/semver/v3";
const TESTIFY_TYPO = "github.com/stetchr/testify";
const JWT5 = "github.com/golang-jwt/jwt/v5";
const DGRIJALVA = "github.com/dgrijalva/jwt-go";
const JWT = "github.com/golang-jwt/jwt";
const FFS_STORAGE = "github.com/creachadair/ffs/storage";
const SQLITE = "github.com/mattn/go-sqlite3";

/** The staged failures, with what each needs: the mirror it concerns, the replacement, the directory. */
export const STAGED = {
  missing: { module: SEMVER3, version: "v3.4.0", mirror: "goproxy.cn" as ResolveMirror },
  unknown: { module: TESTIFY_TYPO, version: "v1.8.4" },
  contradicted: { module: JWT5, version: "v5.3.1", mirror: "proxy.golang.com.cn" as ResolveMirror },
  replaced: { module: DGRIJALVA, version: "v3.2.0+incompatible", by: { path: JWT, version: "v3.2.2+incompatible" } },
  local: { module: FFS_STORAGE, version: "v0.18.0", dir: "./third_party/ffs-storage", gomod: `module ${FFS_STORAGE}\n\ngo 1.17\n` },
  /** `next`: the following release, which the exclude leaves alone (the go.mod variant that requires it instead). */
  excluded: { module: SQLITE, version: "v1.14.48", next: "v1.14.49" },
} as const;

const direct = (module: string, version: string, stage: Stage | null = null): ResolveRequirement => ({ module, version, indirect: false, stage });
const indirect = (module: string, version: string): ResolveRequirement => ({ module, version, indirect: true, stage: null });

/** In go.mod order: the direct block, then the `// indirect` block. */
export const RESOLVE_REQUIREMENTS: readonly ResolveRequirement[] = [
  direct("github.com/IBM/sarama", "v1.60.1"),
  direct(SEMVER3, "v3.4.0", "missing"),
  direct("github.com/creachadair/ffs", "v0.17.20"),
  direct(FFS_STORAGE, "v0.18.0", "local"),
  direct(DGRIJALVA, "v3.2.0+incompatible", "replaced"),
  direct(JWT5, "v5.3.1", "contradicted"),
  direct("github.com/golang/protobuf", "v1.5.4"),
  direct(SQLITE, "v1.14.48", "excluded"),
  direct(TESTIFY_TYPO, "v1.8.4", "unknown"),
  direct("github.com/hashicorp/go-multierror", "v1.1.1"),
  direct("github.com/xdg-go/scram", "v1.1.2"),
  direct("github.com/eapache/queue", "v1.1.0"),
  direct("google.golang.org/protobuf", "v1.36.11"),
  direct("golang.org/x/sync", "v0.22.0"),
  indirect("github.com/Masterminds/semver", "v1.5.0"),
  indirect("github.com/golang-jwt/jwt/v4", "v4.5.2"),
  indirect("github.com/cespare/xxhash/v2", "v2.3.0"),
  indirect("github.com/creachadair/atomicfile", "v0.4.2"),
  indirect("github.com/creachadair/mds", "v0.30.2"),
  indirect("github.com/creachadair/msync", "v0.9.1"),
  indirect("github.com/creachadair/taskgroup", "v0.14.4"),
  indirect("github.com/davecgh/go-spew", "v1.1.1"),
  indirect("github.com/eapache/go-resiliency", "v1.7.0"),
  indirect("github.com/golang/snappy", "v1.0.0"),
  indirect("github.com/google/go-cmp", "v0.7.0"),
  indirect("github.com/hashicorp/errwrap", "v1.0.0"),
  indirect("github.com/hashicorp/go-uuid", "v1.0.3"),
  indirect("github.com/jcmturner/aescts/v2", "v2.0.0"),
  indirect("github.com/jcmturner/dnsutils/v2", "v2.0.0"),
  indirect("github.com/jcmturner/gofork", "v1.7.6"),
  indirect("github.com/jcmturner/gokrb5/v8", "v8.4.4"),
  indirect("github.com/jcmturner/rpc/v2", "v2.0.3"),
  indirect("github.com/klauspost/compress", "v1.19.1"),
  indirect("github.com/kr/pretty", "v0.3.0"),
  indirect("github.com/pierrec/lz4/v4", "v4.1.27"),
  indirect("github.com/pmezard/go-difflib", "v1.0.0"),
  indirect("github.com/rcrowley/go-metrics", "v0.0.0-20250401214520-65e299d6c5c9"),
  indirect("github.com/stretchr/testify", "v1.11.1"),
  indirect("github.com/xdg-go/pbkdf2", "v1.0.0"),
  indirect("github.com/xdg-go/stringprep", "v1.0.4"),
  indirect("go.uber.org/goleak", "v1.3.0"),
  indirect("golang.org/x/crypto", "v0.54.0"),
  indirect("golang.org/x/exp/typeparams", "v0.0.0-20231108232855-2478ac86f678"),
  indirect("golang.org/x/mod", "v0.31.0"),
  indirect("golang.org/x/net", "v0.57.0"),
  indirect("golang.org/x/sys", "v0.47.0"),
  indirect("golang.org/x/tools", "v0.40.1-0.20260108161641-ca281cf95054"),
  indirect("gopkg.in/check.v1", "v1.0.0-20201130134442-10cb98267c6c"),
  indirect("gopkg.in/yaml.v3", "v3.0.1"),
  indirect("honnef.co/go/tools", "v0.7.0"),
];

/** Modules built from their own history in the data (real versions, times and go.mod texts). */
const FROM_HISTORY: Record<string, (start: Date) => SimModule> = {
  "github.com/IBM/sarama": () => moduleFromHistory("github.com/IBM/sarama", { keepLatest: 1 }),
  "github.com/creachadair/ffs": () => moduleFromHistory("github.com/creachadair/ffs", { keepLatest: 1 }),
  [FFS_STORAGE]: () => moduleFromHistory(FFS_STORAGE),
  [JWT5]: () => moduleFromHistory(JWT5, { keepLatest: 2 }),
  "github.com/golang-jwt/jwt/v4": () => moduleFromHistory("github.com/golang-jwt/jwt/v4", { keepLatest: 2 }),
  [JWT]: () => moduleFromHistory(JWT, { keepLatest: 1 }),
  "github.com/golang/protobuf": () => moduleFromHistory("github.com/golang/protobuf", { keepLatest: 1 }),
  [SQLITE]: () => moduleFromHistory(SQLITE, { keepLatest: 2 }),
  "github.com/Masterminds/semver": () => moduleFromHistory("github.com/Masterminds/semver", { keepLatest: 1 }),
  // (a) v3.4.0 tagged 3 minutes before the start (its real commit time is older): the one version whose pickup differs.
  [SEMVER3]: (start) => moduleFromHistory(SEMVER3, { keepLatest: 2, schedule: [new Date(start.getTime() - 3 * 60_000)], commitLeadSeconds: 600 }),
};

const PSEUDO_TIME = /-(?:0\.)?(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})-[0-9a-f]{12}$/;

/**
 * A module the data knows only as a requirement of a real go.mod: that version alone, with a go.mod of just its
 * module line. Its time is the one a pseudo-version encodes, else the commit time of the first version (of a module
 * in the data) whose go.mod requires it: the tag is no younger. Throws when no go.mod in the data requires it.
 */
function requiredModule(path: string, version: string): SimModule {
  const pseudo = PSEUDO_TIME.exec(version);
  let time: string | undefined = pseudo ? `${pseudo[1]}-${pseudo[2]}-${pseudo[3]}T${pseudo[4]}:${pseudo[5]}:${pseudo[6]}Z` : undefined;
  if (time === undefined) {
    const line = new RegExp(`^\\s*(?:require\\s+)?${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+${version.replace(/[.+]/g, "\\$&")}(?:\\s|$)`, "m");
    const times = loadHistories().flatMap((h) =>
      [{ version: h.latestVersion, gomod: h.gomodAtLatest }, ...h.history]
        .filter((e) => line.test(e.gomod))
        .map((e) => h.versions.find((v) => v.version === e.version)?.time)
        .filter((t): t is string => t !== undefined),
    );
    time = times.sort()[0];
  }
  if (time === undefined) throw new Error(`${path}@${version}: no go.mod in data/go-module-histories.json requires it`);
  return { path, versions: [{ version, time, gomod: `module ${path}\n` }] };
}

export function resolveModules(start: Date = RESOLVE_START): SimModule[] {
  const modules: SimModule[] = [];
  for (const r of RESOLVE_REQUIREMENTS) {
    // (b) no mirror or origin knows it; (d) nothing serves the replaced path, only its replacement.
    if (r.stage === "unknown") modules.push({ path: r.module, origin: "missing", versions: [] });
    else if (r.stage === "replaced") continue;
    else modules.push(FROM_HISTORY[r.module]?.(start) ?? requiredModule(r.module, r.version));
  }
  modules.push(FROM_HISTORY[STAGED.replaced.by.path]?.(start) ?? requiredModule(STAGED.replaced.by.path, STAGED.replaced.by.version));
  return modules;
}

export function resolveMirrors(): MirrorConfig[] {
  return [
    { name: "proxy.golang.org", style: "proxy.golang.org", lagSeconds: 30, fetchOnDemand: true, honourDisableModuleFetch: true },
    // (a) goproxy.cn picks semver/v3 v3.4.0 up 30 minutes after its tag and does not fetch on demand.
    { name: "goproxy.cn", style: "goproxy", lagSeconds: 120, versionLagSeconds: { [`${SEMVER3}@v3.4.0`]: 1800 }, fetchOnDemand: false },
    {
      name: "proxy.golang.com.cn",
      style: "goproxy",
      lagSeconds: 600,
      versionLagSeconds: { [`${SEMVER3}@v3.4.0`]: 60 },
      fetchOnDemand: false,
      // (c) a go.mod with an extra line (like goproxy.cn#46's wrong go.mod): its h1 is neither the database's nor the go.sum's.
      faults: [
        {
          id: "jwt5-gomod-different",
          module: STAGED.contradicted.module,
          version: STAGED.contradicted.version,
          kinds: ["mod"],
          effect: { type: "differentBytes", marker: "rewritten by proxy.golang.com.cn" },
        },
      ],
    },
  ];
}

export function resolveScenario(start: Date = RESOLVE_START): Scenario {
  return { start, reference: RESOLVE_REFERENCE, sumdb: {}, modules: resolveModules(start), mirrors: resolveMirrors() };
}

export type GoModVariant = {
  /** Keep (b), the requirement nothing knows (default true). */
  unknown?: boolean;
  /** Keep (f) requiring the excluded version (default true); false requires STAGED.excluded.next instead. */
  excludedRequired?: boolean;
};

/** The requirements of a variant, in go.mod order (the excluded one possibly moved to its next release). */
export function variantRequirements(variant: GoModVariant = {}): ResolveRequirement[] {
  return RESOLVE_REQUIREMENTS.filter((r) => variant.unknown !== false || r.stage !== "unknown").map((r) =>
    r.stage === "excluded" && variant.excludedRequired === false ? { ...r, version: STAGED.excluded.next, stage: null } : r,
  );
}

export function resolveGoMod(variant: GoModVariant = {}): string {
  const reqs = variantRequirements(variant);
  const block = (list: ResolveRequirement[], suffix: string) => `require (\n${list.map((r) => `\t${r.module} ${r.version}${suffix}\n`).join("")})\n`;
  return [
    `module ${RESOLVE_MAIN_MODULE}\n`,
    "go 1.21\n",
    block(reqs.filter((r) => !r.indirect), ""),
    block(reqs.filter((r) => r.indirect), " // indirect"),
    `exclude ${STAGED.excluded.module} ${STAGED.excluded.version}\n`,
    `replace ${STAGED.replaced.module} ${STAGED.replaced.version} => ${STAGED.replaced.by.path} ${STAGED.replaced.by.version}\n`,
    `replace ${STAGED.local.module} => ${STAGED.local.dir}\n`,
  ].join("\n");
}

/** What is fetched for a requirement: its replacement by module@version, nothing (a directory), or itself. */
export function fetchedAs(r: Pick<ResolveRequirement, "module" | "version" | "stage">): { module: string; version: string } | null {
  if (r.stage === "local") return null;
  if (r.stage === "replaced") return { module: STAGED.replaced.by.path, version: STAGED.replaced.by.version };
  return { module: r.module, version: r.version };
}

/**
 * The go.sum: an h1 line for every fetched requirement's go.mod (and its zip when `zipFor` is given), hashed from
 * what the reference serves (the origin's bytes), sorted as the go command writes it. Nothing for (b), whose go.mod
 * nobody serves, nor for (e), a directory; (f)'s lines and its next release's are both there.
 */
export function resolveGoSum(hash: { goMod: (module: string, version: string) => string; zip?: (module: string, version: string) => string }): string {
  const targets = [...RESOLVE_REQUIREMENTS, { module: STAGED.excluded.module, version: STAGED.excluded.next, stage: null }]
    .filter((r) => r.stage !== "unknown")
    .map(fetchedAs)
    .filter((t): t is { module: string; version: string } => t !== null);
  const lines = targets.flatMap((t) => [
    ...(hash.zip ? [`${t.module} ${t.version} ${hash.zip(t.module, t.version)}`] : []),
    `${t.module} ${t.version}/go.mod ${hash.goMod(t.module, t.version)}`,
  ]);
  return [...new Set(lines)].sort().join("\n") + "\n";
}
