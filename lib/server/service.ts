import "server-only";
import { createChecker } from "@/lib/check";
import type { Checker, CheckOptions, CheckOutcome, RequestPurpose } from "@/lib/check";
import { pollingState } from "@/lib/store";
import type { CheckRef, LagSampleRow, ModuleRow, PollingState, Store, TimelineFacts } from "@/lib/store";
import type { Config } from "./config";
import { composeHomeSummary, deriveSummaries, deriveTimeline, factsAsOf, HEALTH_WINDOW_DAYS, RECENT_LIMIT, toTimelineDto } from "@/lib/timeline";
import type { HomeSummary, ModuleSnapshot, Timeline, TimelineDto, TimelineSelection } from "@/lib/timeline";
import { createProber } from "@/lib/probe";
import type { ProbeOptions, ProbeOutcome, Prober, VersionHistory } from "@/lib/probe";
import { toProbeDto } from "@/lib/doctor";
import type { MirrorHealthStats, ProbeDto } from "@/lib/doctor";
import type { StoredProbe } from "@/lib/store";
import { createResolver, toResolutionDto } from "@/lib/resolve";
import type { ResolutionDto, Resolver } from "@/lib/resolve";
import type { DoctorLocale } from "@/lib/doctor";
import { createRateLimiter } from "./rate-limit";
import type { RateLimiter } from "./rate-limit";
import { admitOrReject, isWorkBudgetBusy } from "@/lib/polling";
import type { WorkBudget } from "@/lib/polling";

export type ServiceDeps = {
  store: Store;
  config: Config;
  /** Stamps checks; the simulator's clock in tests and the demo. */
  clock: () => Date;
  /** Real time for rate limits, which protect this server whatever the simulated clock says. */
  wallNow?: () => number;
  fetchFor?: (mirror: string, purpose: RequestPurpose) => typeof fetch;
  /** The per-mirror rate cap's slot for a request of this purpose (see lib/polling's MirrorRateCap.acquire). */
  slotFor?: (mirror: string, purpose: RequestPurpose) => (() => Promise<void>) | undefined;
  /** The outbound budget of user-started work (USER_MIRROR_RPS); none: unbounded (tests that do not measure it). */
  userBudget?: WorkBudget;
};

/** Work a visitor starts, admitted against the outbound budget and the per-client limit together. */
export type UserWork = "check" | "probe" | "resolution";

export type UserWorkRefusal = { ok: false; code: "busy" | "rate_limited"; retryAfterSeconds: number };

/** The checksum database's key in the user budget: its requests are capped like a mirror's. */
export const SUMDB_BUDGET_KEY = "sumdb";

export type TimelineResult =
  | { ok: true; timeline: TimelineDto; newest: { checkId: number; at: string }; watched: boolean; polling: PollingState }
  | { ok: false; code: "unknown_module" | "unknown_check" | "no_checks" | "unknown_page"; message: string };

/** What the home page says about bounded growth: watched and polled modules against MAX_WATCHED_MODULES. */
export type GrowthSummary = { watched: number; polled: number; maxWatched: number; expiryDays: number; capReached: boolean };

/** Interest in a module is written at most once per this long (views and API reads are many; the expiry is days). */
export const INTEREST_THROTTLE_MS = 5 * 60_000;
/** Modules whose last noted interest is remembered in memory: past it the oldest are forgotten (one extra write each). */
const INTEREST_MEMORY_ENTRIES = 10_000;

/** How many recent checks a timeline lists (the full count is in checksTotal). */
export const TIMELINE_CHECKS_LIMIT = 100;

/**
 * Derived timelines kept in memory, by weight (version × mirror cells, events and lag points): a year of a
 * 2,000-version module weighs ~11,000 and a few MB; a 50-version module ~400. Many small modules fit beside a big one.
 */
const TIMELINE_CACHE_WEIGHT = 200_000;
const timelineWeight = (t: Timeline) => t.versions.length * t.mirrors.length + t.events.length + t.lagPoints.length + 1;
/** An answer weighs what it holds beyond the timeline: its page of cells, events, lag points and checks. */
const answerWeight = (d: TimelineDto) => d.versions.length * d.mirrors.length + d.events.length + d.lagPoints.length + d.checks.length + 1;
/**
 * Entries at most, whatever they weigh: a distinct `?at=` per request of many small modules must not fill the weight
 * budget with thousands of light entries, each with its checks list and answers (issue 12's bounded reads).
 */
const TIMELINE_CACHE_ENTRIES = 500;
/** Answers kept per derived timeline: its first pages and version pages are what gets read again. */
const PAGES_PER_TIMELINE = 8;

/** Derived probes kept for resolutions' pages: every requirement of the largest go.mod, in both languages. */
const PROBE_DTO_CACHE_ENTRIES = 4000;

/** Modules whose stored facts are kept, as of their newest check, to derive older checks from. */
const MODULE_FACTS_ENTRIES = 4;

type CachedTimeline = {
  fingerprint: string;
  timeline: Timeline;
  weight: number;
  context: { checks: CheckRef[]; checksUpToAsOf: number };
  answers: Map<string, TimelineDto>;
};

export type Service = {
  config: Config;
  checker: Checker;
  checkLimiter: RateLimiter;
  /**
   * Runs user work for this client: "rate_limited" past the client's own limit (a 429), "busy" when the work would ask
   * the mirrors and their queues of user work are full (a 503). Work that joins or reuses another asks nothing.
   */
  runUserWork<T>(kind: UserWork, client: string, work: () => Promise<T>): Promise<{ ok: true; value: T } | UserWorkRefusal>;
  runCheck(module: string, options: CheckOptions): Promise<CheckOutcome>;
  /** The module's timeline as of a check (default its newest): one page of it, or what concerns one version. */
  timeline(module: string, at?: number, selection?: TimelineSelection): Promise<TimelineResult>;
  suggest(text: string, limit?: number): Promise<string[]>;
  setWatched(module: string, watched: boolean): Promise<boolean>;
  /** The home page: recently checked modules and per-mirror health, as of the service clock's now. */
  home(): Promise<HomeSummary & { growth: GrowthSummary }>;
  /**
   * A page view or API read of the module: keeps (or resumes) its polling (WATCH_EXPIRY_DAYS). Cheap: at most one
   * write per module per INTEREST_THROTTLE_MS, and nothing at all within it.
   */
  noteInterest(module: string): Promise<void>;
  /** The operator's: every stored row of the module, and what this process cached of it. False: unknown module. */
  deleteModule(module: string): Promise<boolean>;
  prober: Prober;
  /**
   * The version doctor's probe of module@version (or "latest"), fetching or passive, with its zip unless
   * `options.zip` is false; reuses a recent one (a full probe also answers a zip-less request).
   */
  runProbe(module: string, version: string, fetch: boolean, options?: ProbeOptions): Promise<ProbeOutcome>;
  findProbe(id: number): Promise<StoredProbe | null>;
  listProbes(module: string, version: string, limit?: number): Promise<{ id: number; at: Date; fetch: boolean }[]>;
  /** Whole go.mod resolutions (issue 8/11): start, resume after a restart, stop for a shutdown. */
  resolver: Resolver;
  /** A resolution as the API shows it (null: no such id), its sentences in `locale`. */
  resolution(id: number, locale?: DoctorLocale): Promise<ResolutionDto | null>;
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groupByModule(rows: LagSampleRow[]): Map<string, LagSampleRow[]> {
  const byModule = new Map<string, LagSampleRow[]>();
  for (const r of rows) {
    const list = byModule.get(r.module);
    if (list) list.push(r);
    else byModule.set(r.module, [r]);
  }
  return byModule;
}

export function createService(deps: ServiceDeps): Service {
  const { store, config } = deps;
  const checker = createChecker({
    mirrors: config.mirrors,
    reference: config.referenceMirror,
    requestTimeoutMs: config.requestTimeoutMs,
    minRecheckSeconds: config.minRecheckSeconds,
    clock: deps.clock,
    store,
    fetchFor: deps.fetchFor,
    slotFor: deps.slotFor,
    // The poller's checks have their own cap; whatever a visitor started is refused at once when the budget is full.
    admit: (options) => (!budget || options.trigger === "poll" ? Promise.resolve(noHold) : admitOrReject(budget, userWorkCost.check)),
  });
  const checkLimiter = createRateLimiter({ limit: config.rateLimitPerMinute, windowMs: 60_000, now: deps.wallNow ?? Date.now });
  const mirrorNames = config.mirrors.map((m) => m.name);
  // Requests per target a piece of user work may send, at most: a check asks @v/list, @latest and a new latest's
  // go.mod; a doctor probe (besides its own check) .info, .mod, .zip and the mirror's sumdb proxy (/supported, /lookup,
  // a few tiles), and the checksum database's /lookup and tiles; a resolution's lean probe .info and .mod (and the zip).
  const perMirror = (n: number) => Object.fromEntries(mirrorNames.map((name) => [name, n]));
  const userWorkCost = {
    check: perMirror(3),
    probe: { ...perMirror(3 + 5), [SUMDB_BUDGET_KEY]: 5 },
    leanProbe: { ...perMirror(3), [SUMDB_BUDGET_KEY]: 5 },
  };
  const noHold = { release() {} };
  const budget = deps.userBudget;
  const timelineCache = new Map<string, CachedTimeline>();
  let cachedWeight = 0;
  const moduleFactsCache = new Map<number, { newestId: number; fingerprint: string; facts: TimelineFacts }>();
  const homeSnapshots = new Map<number, ModuleSnapshot>();
  /** Module path → service-clock ms of the interest last noted: requests within the throttle touch no database. */
  const interestNoted = new Map<string, number>();

  /**
   * The home page's lag samples, reloaded only for modules checked since the last call: a module's samples change
   * only with its own checks (and only grow: listings are never deleted), and the sliding window is applied here.
   */
  let lagCache: { newestCheckId: number; since: number; byModule: Map<string, LagSampleRow[]> } | null = null;
  async function lagSamplesFor(newestCheckId: number, since: Date, now: Date): Promise<LagSampleRow[]> {
    const reference = config.referenceMirror;
    // A window that grew backwards (a clock set back) needs samples the cache never held: start again.
    if (!lagCache || lagCache.since > since.getTime() || newestCheckId < lagCache.newestCheckId) {
      lagCache = { newestCheckId, since: since.getTime(), byModule: groupByModule(await store.lagSamples(reference, since, now)) };
    } else if (newestCheckId > lagCache.newestCheckId) {
      const fresh = await store.lagSamples(reference, since, now, { modulesCheckedAfter: lagCache.newestCheckId });
      for (const [module, samples] of groupByModule(fresh)) lagCache.byModule.set(module, samples);
      lagCache.newestCheckId = newestCheckId;
    }
    lagCache.since = since.getTime();
    const samples: LagSampleRow[] = [];
    for (const [module, rows] of lagCache.byModule) {
      const inWindow = rows.filter((r) => r.seenAt >= since && r.seenAt <= now);
      if (inWindow.length === 0) lagCache.byModule.delete(module);
      else if (inWindow.length < rows.length) lagCache.byModule.set(module, inWindow);
      samples.push(...inWindow);
    }
    // One order whichever way the samples were gathered: ties for "slowest" go to the earliest pickup.
    return samples.sort((a, b) => a.seenAt.getTime() - b.seenAt.getTime() || cmp(a.module, b.module) || cmp(a.version, b.version) || cmp(a.mirror, b.mirror));
  }

  /**
   * The facts a timeline as of `asOf` reads. Permalinks of one module are read in runs (a page, then its
   * permalinks): its facts are loaded once as of its newest check and narrowed per check (factsAsOf).
   */
  async function factsFor(row: ModuleRow, asOf: CheckRef, newest: CheckRef): Promise<TimelineFacts> {
    const newestFingerprint = await store.timelineFingerprint(row.id, newest.id);
    let cached = moduleFactsCache.get(row.id);
    if (!cached || cached.newestId !== newest.id || cached.fingerprint !== newestFingerprint) {
      cached = { newestId: newest.id, fingerprint: newestFingerprint, facts: await store.timelineFacts(row, newest, mirrorNames, config.referenceMirror) };
      moduleFactsCache.delete(row.id);
      moduleFactsCache.set(row.id, cached);
      if (moduleFactsCache.size > MODULE_FACTS_ENTRIES) {
        const oldest = moduleFactsCache.keys().next().value;
        if (oldest !== undefined) moduleFactsCache.delete(oldest);
      }
    }
    if (asOf.id === newest.id) return cached.facts;
    return factsAsOf(cached.facts, asOf, await store.checkOutcomes(asOf.id), mirrorNames);
  }

  /** The derived timeline as of a check, from the cache when nothing that can change it has (the fingerprint). */
  async function derivedTimeline(row: ModuleRow, asOf: CheckRef, recent: CheckRef[]): Promise<CachedTimeline> {
    const key = `${row.id}:${asOf.id}`;
    const fingerprint = await store.timelineFingerprint(row.id, asOf.id);
    const cached = timelineCache.get(key);
    if (cached && cached.fingerprint === fingerprint) {
      timelineCache.delete(key);
      timelineCache.set(key, cached);
      return cached;
    }
    const newest = recent[0];
    const [facts, checks, checksUpToAsOf] = await Promise.all([
      newest ? factsFor(row, asOf, newest) : store.timelineFacts(row, asOf, mirrorNames, config.referenceMirror),
      asOf.id === newest?.id ? recent : store.listChecks(row.id, { upTo: asOf.id, limit: TIMELINE_CHECKS_LIMIT }),
      store.countChecks(row.id, asOf.id),
    ]);
    const timeline = deriveTimeline(facts);
    const entry: CachedTimeline = { fingerprint, timeline, weight: timelineWeight(timeline) + checks.length, context: { checks, checksUpToAsOf }, answers: new Map() };
    const replaced = timelineCache.get(key);
    if (replaced) cachedWeight -= replaced.weight;
    timelineCache.delete(key);
    timelineCache.set(key, entry);
    cachedWeight += entry.weight;
    trimTimelineCache(key);
    return entry;
  }

  /** Least recently used first, until weight and count fit; the entry in use (`keep`) always stays. */
  function trimTimelineCache(keep: string): void {
    for (const [oldKey, old] of timelineCache) {
      if (cachedWeight <= TIMELINE_CACHE_WEIGHT && timelineCache.size <= TIMELINE_CACHE_ENTRIES) break;
      if (oldKey === keep) continue;
      timelineCache.delete(oldKey);
      cachedWeight -= old.weight;
    }
  }

  /** The version's history as of a check, from the same timeline the module page shows. */
  async function history(module: string, checkId: number, version: string): Promise<VersionHistory> {
    const result = await service.timeline(module, checkId, { version });
    if (!result.ok) return { mirrors: {}, referenceFirstSeen: null };
    const { timeline } = result;
    const row = timeline.versions.find((v) => v.version === version);
    const mirrors: VersionHistory["mirrors"] = {};
    for (const summary of timeline.summaries) {
      const cell = row?.mirrors[summary.name];
      // A list that answered and did not hold the version says "not listed"; no answer says nothing.
      const listed = cell ? (cell.state === "present" ? true : cell.state === "missing" ? false : null) : summary.listOutcome === "ok" ? false : null;
      const retraction = timeline.retractions.find((r) => r.mirrors[summary.name]?.firstSeen);
      const retracted = cell?.retracted ? { rationale: cell.rationale ?? "" } : retraction ? { rationale: retraction.rationale } : null;
      mirrors[summary.name] = { listed, latest: summary.latest, retracted };
    }
    const firstSeen = row?.mirrors[timeline.reference]?.firstSeen;
    return { mirrors, referenceFirstSeen: firstSeen ? new Date(firstSeen) : null };
  }

  async function latestOn(module: string, checkId: number, mirror: string): Promise<string | null> {
    const result = await service.timeline(module, checkId, { page: 1 });
    return result.ok ? (result.timeline.latest[mirror] ?? null) : null;
  }

  /**
   * Derived probes by id and locale: a stored probe never changes, and a resolution's page polls hundreds of them a
   * second. Bounded to what the largest resolution (2,000 requirements) needs in both locales.
   */
  const probeDtoCache = new Map<string, ProbeDto>();
  async function cachedProbeDto(id: number, locale: DoctorLocale): Promise<ProbeDto | null> {
    const key = `${id}:${locale}`;
    let dto = probeDtoCache.get(key);
    if (dto) {
      probeDtoCache.delete(key);
    } else {
      const stored = await store.findProbe(id);
      if (!stored) return null;
      dto = toProbeDto(stored, locale);
      if (probeDtoCache.size >= PROBE_DTO_CACHE_ENTRIES) {
        const oldest = probeDtoCache.keys().next().value;
        if (oldest !== undefined) probeDtoCache.delete(oldest);
      }
    }
    probeDtoCache.set(key, dto);
    return dto;
  }

  async function health(): Promise<Record<string, MirrorHealthStats>> {
    const home = await service.home();
    return Object.fromEntries(
      home.mirrors.map((m) => [
        m.name,
        {
          inSyncRate: m.inSync.of > 0 ? m.inSync.count / m.inSync.of : null,
          p90LagSeconds: m.lag?.p90Seconds ?? null,
          errorRate: m.answers.total > 0 ? m.answers.errors / m.answers.total : null,
        },
      ]),
    );
  }

  // The probe reads history through the service itself (called only after `service` below exists).
  const prober = createProber({
    mirrors: config.mirrors,
    reference: config.referenceMirror,
    sumdb: config.sumdb,
    requestTimeoutMs: config.requestTimeoutMs,
    zipTimeoutMs: config.zipTimeoutMs,
    minRecheckSeconds: config.minRecheckSeconds,
    clock: deps.clock,
    store,
    runCheck: (module, options) => checker.check(module, options),
    history,
    latestOn,
    health,
    async newestCheck(module) {
      const row = await store.findModule(module);
      const [newest] = row ? await store.listChecks(row.id, { limit: 1 }) : [];
      return newest ? { id: newest.id, at: newest.at } : null;
    },
    contextMaxAgeSeconds: config.pollIntervalSeconds,
    fetchFor: deps.fetchFor ? (target) => deps.fetchFor?.(target, "user") ?? fetch : undefined,
    slotFor: deps.slotFor ? (target, purpose) => deps.slotFor?.(target, purpose) : undefined,
    // A resolution's probes are background work that must not fail: they wait their turn, first come first served.
    admit: (lean) => (!budget ? Promise.resolve(noHold) : lean ? budget.enter(userWorkCost.leanProbe) : admitOrReject(budget, userWorkCost.probe)),
  });
  const resolver = createResolver({
    store,
    clock: deps.clock,
    concurrency: config.resolveConcurrency,
    minRecheckSeconds: config.minRecheckSeconds,
    probe: (module, version, fetch, options) => prober.probe(module, version, fetch, { ...options, resolution: true }),
    log: (message) => console.warn(message),
  });


  const service: Service = {
    config,
    checker,
    checkLimiter,
    async runUserWork(kind, client, work) {
      // A resolution is not started while not even one of its probes would fit now: its probes would only queue.
      const room = budget && kind === "resolution" ? budget.wouldAdmit(userWorkCost.leanProbe) : { ok: true as const };
      if (!room.ok) return { ok: false, code: "busy", retryAfterSeconds: room.retryAfterSeconds };
      const allowed = checkLimiter.take(client);
      if (!allowed.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: allowed.retryAfterSeconds };
      try {
        return { ok: true, value: await work() };
      } catch (err) {
        if (isWorkBudgetBusy(err)) return { ok: false, code: "busy", retryAfterSeconds: err.retryAfterSeconds };
        throw err;
      }
    },
    runCheck: (module, options) => checker.check(module, options),
    async timeline(module, at, selection = { page: 1 }) {
      const row = await store.findModule(module);
      if (!row) return { ok: false, code: "unknown_module", message: `module ${module} has not been checked yet` };
      // The newest checks are read once: their first is the newest, and for the live timeline they are the list too.
      const recent = await store.listChecks(row.id, { limit: TIMELINE_CHECKS_LIMIT });
      const newest = recent[0];
      if (!newest) return { ok: false, code: "no_checks", message: `module ${module} has no checks yet` };
      const asOf = at === undefined ? newest : await store.findCheck(row.id, at);
      if (!asOf) return { ok: false, code: "unknown_check", message: `check ${at} is not a check of module ${module}` };
      const newestRef = { checkId: newest.id, at: newest.at.toISOString() };
      const entry = await derivedTimeline(row, asOf, recent);
      const answerKey = "version" in selection ? `v:${selection.version}` : `p:${selection.page}`;
      let timeline = entry.answers.get(answerKey);
      if (!timeline) {
        const built = toTimelineDto(entry.timeline, entry.context, selection);
        if (!built) {
          const pages = toTimelineDto(entry.timeline, entry.context)?.page.of ?? 1;
          const page = "page" in selection ? selection.page : 1;
          return { ok: false, code: "unknown_page", message: `page ${page} does not exist: the timeline of ${module} as of check ${asOf.id} has ${pages} page${pages === 1 ? "" : "s"}` };
        }
        timeline = built;
        // Answers weigh in while their entry is cached (one another request's trim evicted weighs nothing).
        const key = `${row.id}:${asOf.id}`;
        const weigh = (delta: number) => {
          if (timelineCache.get(key) !== entry) return;
          entry.weight += delta;
          cachedWeight += delta;
        };
        if (entry.answers.size >= PAGES_PER_TIMELINE) {
          const [oldest] = entry.answers;
          if (oldest) {
            entry.answers.delete(oldest[0]);
            weigh(-answerWeight(oldest[1]));
          }
        }
        entry.answers.set(answerKey, timeline);
        weigh(answerWeight(timeline));
        trimTimelineCache(key);
      }
      return { ok: true, timeline, newest: newestRef, watched: row.watched, polling: pollingState(row, deps.clock(), config.watchExpiryDays) };
    },
    suggest: (text, limit = 8) => store.suggestModules(text, limit),
    setWatched: (module, watched) => store.setWatched(module, watched),
    async noteInterest(module) {
      const now = deps.clock();
      const noted = interestNoted.get(module);
      if (noted !== undefined && noted > now.getTime() - INTEREST_THROTTLE_MS) return;
      if (!(await store.noteInterest(module, now, INTEREST_THROTTLE_MS))) return;
      interestNoted.delete(module);
      interestNoted.set(module, now.getTime());
      if (interestNoted.size > INTEREST_MEMORY_ENTRIES) {
        const oldest = interestNoted.keys().next().value;
        if (oldest !== undefined) interestNoted.delete(oldest);
      }
    },
    async deleteModule(module) {
      const deleted = await store.deleteModule(module);
      if (!deleted) return false;
      // Every cache that could still answer for it: derived timelines, loaded facts, home snapshots, lag samples, probes.
      for (const [key, entry] of timelineCache) {
        if (key.startsWith(`${deleted.moduleId}:`)) {
          timelineCache.delete(key);
          cachedWeight -= entry.weight;
        }
      }
      moduleFactsCache.delete(deleted.moduleId);
      homeSnapshots.delete(deleted.moduleId);
      lagCache?.byModule.delete(module);
      const probes = new Set(deleted.probeIds.map(String));
      for (const key of probeDtoCache.keys()) if (probes.has(key.slice(0, key.indexOf(":")))) probeDtoCache.delete(key);
      interestNoted.delete(module);
      return true;
    },
    async home() {
      const now = deps.clock();
      const since = new Date(now.getTime() - HEALTH_WINDOW_DAYS * 24 * 3600 * 1000);
      // The recent list first: its first row's check is the newest any lag sample read below can stand on.
      const recent = await store.recentModules({ limit: RECENT_LIMIT });
      const [watched, lags, outcomes] = await Promise.all([store.recentModules({ watchedOnly: true }), lagSamplesFor(recent[0]?.checkId ?? 0, since, now), store.outcomeCounts(since, now)]);
      const rows = [...new Map([...recent, ...watched].map((r) => [r.moduleId, r])).values()];
      // A module's snapshot is a function of its newest check: only modules checked since the last call load facts.
      const stale = rows.filter((r) => homeSnapshots.get(r.moduleId)?.checkId !== r.checkId);
      const facts = stale.length === 0 ? new Map<number, TimelineFacts>() : await store.currentFacts(stale, mirrorNames, config.referenceMirror);
      // Summaries over current facts only: outcome, latest and missingCount come out exact (checked against
      // full timelines); hash agreement would not, and is not used.
      for (const r of stale) {
        const f = facts.get(r.moduleId);
        homeSnapshots.set(r.moduleId, { module: r.module, checkId: r.checkId, at: r.at, summaries: f ? deriveSummaries(f) : [] });
      }
      // Modules that left the recent list and are not watched are forgotten: the cache is bounded by what home shows.
      const shown = new Set(rows.map((r) => r.moduleId));
      for (const id of homeSnapshots.keys()) if (!shown.has(id)) homeSnapshots.delete(id);
      const snapshot = (r: (typeof rows)[number]): ModuleSnapshot => homeSnapshots.get(r.moduleId) ?? { module: r.module, checkId: r.checkId, at: r.at, summaries: [] };
      const counts = await store.watchCounts(now);
      const summary = composeHomeSummary({
        now,
        mirrors: mirrorNames,
        reference: config.referenceMirror,
        recent: recent.map(snapshot),
        watched: watched.map(snapshot),
        lags,
        outcomes,
      });
      const growth = { ...counts, maxWatched: config.maxWatchedModules, expiryDays: config.watchExpiryDays, capReached: counts.polled >= config.maxWatchedModules };
      return { ...summary, growth };
    },
    prober,
    runProbe: (module, version, fetch, options) => prober.probe(module, version, fetch, options),
    findProbe: (id) => store.findProbe(id),
    listProbes: (module, version, limit = 20) => store.listProbes(module, version, limit),
    resolver,
    async resolution(id, locale = "en") {
      const resolution = await store.findResolution(id);
      if (!resolution) return null;
      const ids = [...new Set(resolution.items.flatMap((item) => (item.probeId === null ? [] : [item.probeId])))];
      const probes = new Map((await Promise.all(ids.map((probeId) => cachedProbeDto(probeId, locale)))).flatMap((p) => (p ? [[p.id, p] as const] : [])));
      return toResolutionDto(resolution, probes, mirrorNames, locale);
    },
  };

  return service;
}
