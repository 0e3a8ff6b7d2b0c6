// Runs and records probes: the check that gives a probe its context (listing, @latest, retraction) alongside the
// probe itself, reuse of a recent probe, one flight per version, and the record a permalink renders forever.

import type { CheckOptions, CheckOutcome, MirrorConfig } from "@/lib/check";
import type { MirrorContext, MirrorHealthStats } from "@/lib/doctor";
import type { ProbeStore, StoredProbe } from "@/lib/store";
import { runProbe } from "./run-probe";
import type { ProbeDeps, ProbeSumdb } from "./run-probe";

/** What mirrorlag's history says about one version, as of a check (from the timeline). */
export type VersionHistory = {
  /** Per mirror; absent mirrors get an all-unknown context. */
  mirrors: Record<string, Omit<MirrorContext, "lagP90Seconds">>;
  referenceFirstSeen: Date | null;
};

export type ProberDeps = {
  mirrors: MirrorConfig[];
  reference: string;
  sumdb: ProbeSumdb | null;
  requestTimeoutMs: number;
  zipTimeoutMs: number;
  minRecheckSeconds: number;
  clock: () => Date;
  store: ProbeStore;
  runCheck(module: string, options: CheckOptions): Promise<CheckOutcome>;
  /** The version's history as of a check; `latestOn` resolves "latest" to what go get @latest picks on a mirror. */
  history(module: string, checkId: number, version: string): Promise<VersionHistory>;
  latestOn(module: string, checkId: number, mirror: string): Promise<string | null>;
  health(): Promise<Record<string, MirrorHealthStats>>;
  fetchFor?: ProbeDeps["fetchFor"];
  tmpDir?: string;
};

/** zip: false probes only .info and .mod (default true: the zip too). */
export type ProbeOptions = { zip?: boolean };

export type ProbeOutcome =
  | { ok: true; probe: StoredProbe; shared: "running" | "recent" | null }
  | { ok: false; code: "no_latest"; message: string };

const unknownContext: Omit<MirrorContext, "lagP90Seconds"> = { listed: null, latest: null, retracted: null };
const noHealth: MirrorHealthStats = { inSyncRate: null, p90LagSeconds: null, errorRate: null };

export function createProber(deps: ProberDeps) {
  const running = new Map<string, Promise<ProbeOutcome>>();

  async function run(module: string, requested: string, fetch: boolean, zip: boolean): Promise<ProbeOutcome> {
    const at = deps.clock();
    const checkOptions: CheckOptions = { trigger: "user", passive: !fetch };
    let version = requested;
    let checkPromise: Promise<CheckOutcome>;
    if (requested === "latest") {
      // `latest` is what go get @latest resolves to on the reference mirror (its list, then its @latest).
      const { check } = await deps.runCheck(module, checkOptions);
      const onReference = await deps.latestOn(module, check.id, deps.reference);
      let resolved = onReference;
      for (const m of deps.mirrors) resolved ??= await deps.latestOn(module, check.id, m.name);
      if (resolved === null) {
        return { ok: false, code: "no_latest", message: `no mirror resolves ${module}@latest: none lists a version or answers @latest` };
      }
      version = resolved;
      checkPromise = Promise.resolve({ check, shared: null });
    } else {
      checkPromise = deps.runCheck(module, checkOptions);
    }
    const [evidence, { check }, health] = await Promise.all([
      runProbe(
        { mirrors: deps.mirrors, sumdb: deps.sumdb, requestTimeoutMs: deps.requestTimeoutMs, zipTimeoutMs: deps.zipTimeoutMs, fetchFor: deps.fetchFor, tmpDir: deps.tmpDir },
        { module, version, fetch, zip },
      ),
      checkPromise,
      deps.health(),
    ]);
    const history = await deps.history(module, check.id, version);
    const probe = await deps.store.recordProbe({
      module,
      version,
      requested,
      at,
      fetch,
      zip,
      reference: deps.reference,
      checkId: check.id,
      referenceFirstSeen: history.referenceFirstSeen,
      sumdb: evidence.sumdb,
      mirrors: deps.mirrors.map((m) => {
        const probeOfMirror = evidence.mirrors[m.name];
        if (!probeOfMirror) throw new Error(`probe of ${m.name} missing`);
        const mirrorHealth = health[m.name] ?? noHealth;
        return {
          name: m.name,
          baseUrl: m.baseUrl,
          probe: probeOfMirror,
          context: { ...(history.mirrors[m.name] ?? unknownContext), lagP90Seconds: mirrorHealth.p90LagSeconds },
          health: mirrorHealth,
        };
      }),
    });
    return { ok: true, probe, shared: null };
  }

  return {
    /**
     * Probes module@version (or @latest) now, or answers with a probe of the same mode younger than minRecheckSeconds.
     * A full probe stands in for a zip-less one (it holds everything a zip-less one would, and more); a zip-less
     * probe never stands in for a full one, recent or in flight.
     */
    async probe(module: string, requested: string, fetch: boolean, options: ProbeOptions = {}): Promise<ProbeOutcome> {
      const zip = options.zip ?? true;
      if (requested !== "latest" && deps.minRecheckSeconds > 0) {
        const last = await deps.store.lastProbe(module, requested, fetch);
        // Only the newest probe of the mode is looked at: a zip-less one newer than a recent full one means one more run.
        if (last && (last.zip || !zip) && deps.clock().getTime() - last.at.getTime() < deps.minRecheckSeconds * 1000) return { ok: true, probe: last, shared: "recent" };
      }
      const keyOf = (withZip: boolean) => `${module}\u0000${requested}\u0000${fetch ? "fetch" : "passive"}\u0000${withZip ? "zip" : "no-zip"}`;
      // A zip-less request joins a full probe already running rather than asking the same .info and .mod again.
      const inFlight = running.get(keyOf(true)) ?? (zip ? undefined : running.get(keyOf(false)));
      if (inFlight) {
        const joined = await inFlight;
        return joined.ok ? { ...joined, shared: "running" } : joined;
      }
      const key = keyOf(zip);
      const promise = run(module, requested, fetch, zip).finally(() => running.delete(key));
      running.set(key, promise);
      return promise;
    },
    async stop(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}

export type Prober = ReturnType<typeof createProber>;
