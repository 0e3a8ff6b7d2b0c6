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
  /** The module's newest check, for a resolution's lean probe, which runs none of its own. */
  newestCheck(module: string): Promise<{ id: number; at: Date } | null>;
  /** A newest check older than this gives a lean probe no context (a stale listing would mislead): the poll interval. */
  contextMaxAgeSeconds: number;
  fetchFor?: ProbeDeps["fetchFor"];
  /**
   * The request slot each probe request waits for, by target (a mirror, or "sumdb" for the checksum database) and by
   * who asked: a doctor probe ("user") or a resolution's lean probe ("resolution"). None: no cap.
   */
  slotFor?: (target: string, purpose: "user" | "resolution") => (() => Promise<void>) | undefined;
  tmpDir?: string;
  /**
   * Admission of a probe that will ask the mirrors (not one joined or reused), lean or not: resolves with a hold
   * released when the probe ends, or rejects and the probe does not start. None: every probe runs.
   */
  admit?: (lean: boolean) => Promise<{ release(): void }>;
};

/**
 * zip: false probes only .info and .mod (default true: the zip too). resolution: true is the lean probe of a go.mod-wide
 * resolution: the go command's own requests (.info, .mod, the zip if asked) through the per-mirror cap, no check and no
 * mirror checksum-database proxy of its own; a doctor probe stands in for it, never the other way round.
 */
export type ProbeOptions = { zip?: boolean; resolution?: boolean };

export type ProbeOutcome =
  | { ok: true; probe: StoredProbe; shared: "running" | "recent" | null }
  | { ok: false; code: "no_latest"; message: string };

/** What a probe asked: the zip, and the mirrors' checksum-database proxies (a doctor probe) or not (a lean one). */
type ProbeMode = { zip: boolean; mirrorSumdb: boolean };
/** Fullest first: a request joins the fullest probe in flight that answers it. */
const PROBE_MODES: readonly ProbeMode[] = [
  { zip: true, mirrorSumdb: true },
  { zip: false, mirrorSumdb: true },
  { zip: true, mirrorSumdb: false },
  { zip: false, mirrorSumdb: false },
];

const unknownContext: Omit<MirrorContext, "lagP90Seconds"> = { listed: null, latest: null, retracted: null };
const noHealth: MirrorHealthStats = { inSyncRate: null, p90LagSeconds: null, errorRate: null };

export function createProber(deps: ProberDeps) {
  const running = new Map<string, Promise<ProbeOutcome>>();

  /** A lean probe's context: the module's newest check when it is fresh enough to describe now, else none. */
  async function freshCheck(module: string, at: Date): Promise<{ id: number } | null> {
    const newest = await deps.newestCheck(module);
    return newest && at.getTime() - newest.at.getTime() <= deps.contextMaxAgeSeconds * 1000 ? newest : null;
  }

  async function run(module: string, requested: string, fetch: boolean, zip: boolean, lean: boolean): Promise<ProbeOutcome> {
    const at = deps.clock();
    const checkOptions: CheckOptions = { trigger: "user", passive: !fetch };
    let version = requested;
    let checkPromise: Promise<{ check: { id: number } } | null>;
    if (lean) {
      checkPromise = freshCheck(module, at).then((check) => (check ? { check } : null));
    } else if (requested === "latest") {
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
    const [evidence, checked, health] = await Promise.all([
      runProbe(
        {
          mirrors: deps.mirrors,
          sumdb: deps.sumdb,
          requestTimeoutMs: deps.requestTimeoutMs,
          zipTimeoutMs: deps.zipTimeoutMs,
          fetchFor: deps.fetchFor,
          slotFor: deps.slotFor ? (target) => deps.slotFor?.(target, lean ? "resolution" : "user") : undefined,
          tmpDir: deps.tmpDir,
        },
        { module, version, fetch, zip, mirrorSumdb: !lean },
      ),
      checkPromise,
      deps.health(),
    ]);
    const check = checked?.check ?? null;
    const history: VersionHistory = check ? await deps.history(module, check.id, version) : { mirrors: {}, referenceFirstSeen: null };
    const probe = await deps.store.recordProbe({
      module,
      version,
      requested,
      at,
      fetch,
      zip,
      mirrorSumdb: !lean,
      reference: deps.reference,
      checkId: check?.id ?? null,
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
      // A resolution pins versions: "latest" is a doctor question, answered in full.
      const lean = (options.resolution ?? false) && requested !== "latest";
      // What a probe must hold to answer this request: the zip if asked, the mirrors' proxies unless lean.
      const standsIn = (p: ProbeMode) => (p.zip || !zip) && (p.mirrorSumdb || lean);
      if (requested !== "latest" && deps.minRecheckSeconds > 0) {
        const last = await deps.store.lastProbe(module, requested, fetch);
        // Only the newest probe of the mode is looked at: a lesser one newer than a recent full one means one more run.
        if (last && standsIn(last) && deps.clock().getTime() - last.at.getTime() < deps.minRecheckSeconds * 1000) return { ok: true, probe: last, shared: "recent" };
      }
      const keyOf = (mode: ProbeMode) => `${module}\u0000${requested}\u0000${fetch ? "fetch" : "passive"}\u0000${mode.zip ? "zip" : "no-zip"}\u0000${mode.mirrorSumdb ? "doctor" : "lean"}`;
      // Join a probe already running that holds at least what this one would ask, rather than asking the same files again.
      const inFlight = PROBE_MODES.filter(standsIn).map((mode) => running.get(keyOf(mode))).find((p) => p !== undefined);
      if (inFlight) {
        const joined = await inFlight;
        return joined.ok ? { ...joined, shared: "running" } : joined;
      }
      const key = keyOf({ zip, mirrorSumdb: !lean });
      const admitted = async (): Promise<ProbeOutcome> => {
        const hold = deps.admit ? await deps.admit(lean) : null;
        try {
          return await run(module, requested, fetch, zip, lean);
        } finally {
          hold?.release();
        }
      };
      const promise = admitted().finally(() => running.delete(key));
      running.set(key, promise);
      return promise;
    },
    async stop(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}

export type Prober = ReturnType<typeof createProber>;
