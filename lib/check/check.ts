import { authoritativeVersion, checkModulePath, createMirrorClient, parseGoMod, parseGoModDetailed } from "@/lib/goproxy";
import type { MirrorClient, Outcome } from "@/lib/goproxy";
import type { CheckResult, CheckStore, CheckTrigger, GoModObservation, MirrorObservation } from "@/lib/store";
import { createVersionTimeBackfill } from "./version-times";

/** What a request is for: a check of some trigger, or the commit-time look-ups that follow checks. */
/** Why a request goes to a mirror: a check's trigger, a commit-time look-up, or a resolution's probe. */
export type RequestPurpose = CheckTrigger | "commit-times" | "resolution";

/** One configured mirror: its display name and GOPROXY base URL. */
export type MirrorConfig = { name: string; baseUrl: string };

export type CheckerDeps = {
  mirrors: MirrorConfig[];
  reference: string;
  requestTimeoutMs: number;
  minRecheckSeconds: number;
  clock: () => Date;
  store: CheckStore;
  /** Per-mirror fetch by purpose; default global fetch. */
  fetchFor?: (mirror: string, purpose: RequestPurpose) => typeof fetch;
  /**
   * A per-mirror rate cap's slot, waited for before each request's clocks start: the poller's checks and every
   * commit-time look-up take one; none: uncapped (user checks are rate-limited per client instead).
   */
  slotFor?: (mirror: string, purpose: RequestPurpose) => (() => Promise<void>) | undefined;
  /**
   * Admission of a check that will ask the mirrors (not one joined or reused): resolves with a hold released when the
   * check ends, or rejects (the user budget is full) and the check does not start. None: every check runs.
   */
  admit?: (options: CheckOptions) => Promise<{ release(): void }>;
  infoConcurrency?: number;
};

export type CheckOptions = { trigger: CheckTrigger; passive?: boolean };

/** A check result, and whether it was shared with another caller instead of asking the mirrors again. */
export type CheckOutcome = { check: CheckResult; shared: "running" | "recent" | null };

export type Checker = {
  check(module: string, options: CheckOptions): Promise<CheckOutcome>;
  /** Resolves when the commit-time (.info) look-ups due now have been asked and their answers stored. */
  idle(): Promise<void>;
  /** Asks for commit times still missing (after a restart, and periodically for retries after failures). */
  backfillVersionTimes(): void;
  /**
   * For shutdown: lets running checks finish, then stops the commit-time look-ups after those in flight (what
   * is still missing is in the store and asked for after a restart).
   */
  stop(): Promise<void>;
};

export function createChecker(deps: CheckerDeps): Checker {
  const running = new Map<string, Promise<{ check: CheckResult; recent: boolean }>>();

  const clientFor = (mirror: MirrorConfig, passive: boolean, purpose: RequestPurpose): MirrorClient =>
    createMirrorClient({
      baseUrl: mirror.baseUrl,
      timeoutMs: deps.requestTimeoutMs,
      passive,
      fetch: deps.fetchFor?.(mirror.name, purpose),
      beforeRequest: deps.slotFor?.(mirror.name, purpose),
    });
  const mirrorsByName = new Map(deps.mirrors.map((m) => [m.name, m]));
  const infoClients = new Map<string, MirrorClient>();
  const versionTimes = createVersionTimeBackfill({
    store: deps.store,
    mirrors: deps.mirrors.map((m) => m.name),
    reference: deps.reference,
    // Not passive: .info of a listed version is served from the mirror's cache; it fetches nothing new.
    clientFor: (name) => {
      let client = infoClients.get(name);
      if (!client) infoClients.set(name, (client = clientFor(mirrorsByName.get(name) ?? { name, baseUrl: "" }, false, "commit-times")));
      return client;
    },
    clock: deps.clock,
    concurrency: deps.infoConcurrency,
  });

  async function run(module: string, options: CheckOptions): Promise<CheckResult> {
    const at = deps.clock();
    const passive = options.passive ?? false;
    const observations = await Promise.all(
      deps.mirrors.map((mirror) => observeMirror(clientFor(mirror, passive, options.trigger), mirror.name, module, passive, deps.store)),
    );
    const { check } = await deps.store.recordCheck({ module, at, trigger: options.trigger, observations });
    // Commit times are not needed to record the check: they are asked for after it, off the caller's path. Every
    // check wakes the backfill (one indexed query when nothing is due), so failed look-ups retry when due.
    versionTimes.wake();
    return check;
  }

  /** A check of the same mode younger than minRecheckSeconds is the answer; otherwise the mirrors are asked. */
  async function reuseOrRun(module: string, options: CheckOptions): Promise<{ check: CheckResult; recent: boolean }> {
    if (deps.minRecheckSeconds > 0) {
      const last = await deps.store.lastCheck(module);
      const sameMode = last !== null && last.passive === (options.passive === true);
      if (last && sameMode && deps.clock().getTime() - last.at.getTime() < deps.minRecheckSeconds * 1000) return { check: last, recent: true };
    }
    const hold = deps.admit ? await deps.admit(options) : null;
    try {
      return { check: await run(module, options), recent: false };
    } finally {
      hold?.release();
    }
  }

  return {
    async check(module, options) {
      checkModulePath(module);
      // One flight per module and mode: an active answer (the mirror may fetch) never stands in for a passive one.
      const key = `${module}\u0000${options.passive === true ? "passive" : "active"}`;
      const inFlight = running.get(key);
      if (inFlight) return { check: (await inFlight).check, shared: "running" };
      // Registered before the first await, so a second caller joins this one instead of asking the mirrors again.
      const promise = reuseOrRun(module, options).finally(() => running.delete(key));
      running.set(key, promise);
      const { check, recent } = await promise;
      return { check, shared: recent ? "recent" : null };
    },
    idle: () => versionTimes.idle(),
    backfillVersionTimes: () => versionTimes.wake(),
    async stop() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
      await versionTimes.stop();
    },
  };
}

/** Asks one mirror what a go client would: list and @latest together, then the authoritative go.mod if new. */
export async function observeMirror(
  client: MirrorClient,
  mirror: string,
  module: string,
  passive: boolean,
  store: Pick<CheckStore, "findGoMod">,
): Promise<MirrorObservation> {
  const [list, latest] = await Promise.all([client.list(module), client.latest(module)]);
  // What the mirror took: the slower of the parallel pair, then the go.mod (never our wait for a rate-cap slot).
  let latencyMs = Math.max(list.latencyMs, latest.latencyMs);
  let requests = 2;
  const listedVersions = list.outcome === "ok" ? list.data.versions : null;
  const latestVersion = latest.outcome === "ok" ? latest.data.version : null;
  // A list that failed (not one that answered 404) fails the go command too: no go.mod is authoritative then,
  // and none may open a go.mod state from @latest alone (it could flip the retract set for one check).
  const authoritative =
    list.outcome !== "error" && (listedVersions !== null || latestVersion !== null) ? authoritativeVersion(listedVersions ?? [], latestVersion) : null;

  let gomod: GoModObservation | null = null;
  let modFailure: string | null = null;
  if (authoritative) {
    const stored = await store.findGoMod(module, mirror, authoritative);
    if (stored) {
      const parsed = parseGoMod(stored.text);
      gomod = { version: authoritative, h1: stored.h1, text: stored.text, fetched: false, deprecated: parsed.deprecated, retractions: parsed.retractions };
    } else {
      requests += 1;
      const mod = await client.mod(module, authoritative);
      latencyMs += mod.latencyMs;
      // The client reads go.mod leniently (to show what it says); the go command refuses one with a syntax error
      // and applies none of its retractions, so for the check it is this mirror's error, and nothing is stored.
      const syntaxError = mod.outcome === "ok" ? parseGoModDetailed(mod.data.text).errors[0] : undefined;
      if (syntaxError) {
        modFailure = `go.mod of ${authoritative}: does not parse: line ${syntaxError.line}: ${syntaxError.message}`;
      } else if (mod.outcome === "ok") {
        gomod = {
          version: authoritative,
          h1: mod.data.h1,
          text: mod.data.text,
          fetched: true,
          deprecated: mod.data.parsed.deprecated,
          retractions: mod.data.parsed.retractions,
        };
      } else {
        modFailure = `go.mod of ${authoritative}: ${describeFailure(mod)}`;
      }
    }
  }

  const base = {
    mirror,
    listOutcome: list.outcome,
    latencyMs: Math.round(latencyMs),
    cacheControl: list.outcome === "error" ? (list.headers?.cacheControl ?? null) : list.headers.cacheControl,
    age: list.outcome === "error" ? (list.headers?.age ?? null) : list.headers.age,
    latestVersion,
    listedVersions,
    authoritativeVersion: authoritative,
    gomod,
    requests,
    passive,
    finalUrl: list.finalUrl ?? null,
  };
  if (list.outcome === "error") return { ...base, outcome: "error", status: list.status, message: `@v/list: ${list.message}` };
  if (modFailure) return { ...base, outcome: "error", status: list.status, message: modFailure };
  if (list.outcome === "not_found" && latestVersion === null) {
    return { ...base, outcome: "not_found", status: list.status, message: list.message };
  }
  const notes: string[] = [];
  if (list.outcome === "ok" && list.data.invalidLines > 0) notes.push(`@v/list: ignored ${list.data.invalidLines} invalid line(s), as the go command does`);
  if (latest.outcome === "error") notes.push(`@latest: ${latest.message}`);
  if (list.outcome === "not_found") notes.push(`@v/list: ${list.status} ${list.message ?? ""}`.trim());
  return { ...base, outcome: "ok", status: list.status, message: notes.length > 0 ? notes.join("; ") : null };
}

function describeFailure(outcome: Exclude<Outcome<unknown>, { outcome: "ok" }>): string {
  if (outcome.outcome === "not_found") return `${outcome.status}${outcome.message ? ` ${outcome.message}` : ""}`;
  return outcome.message;
}
