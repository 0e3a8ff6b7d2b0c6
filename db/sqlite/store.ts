import "server-only";
import { DEFAULT_GROWTH, interestCutoff } from "@/lib/store";
import type { GrowthLimits, Store } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import { createProbeWriter } from "./probe-store";
import { createResolutionWriter } from "./resolution-store";
import type { Db } from "./connection";
import {
  checkOutcomeFacts,
  countChecks,
  findCheck,
  findModule,
  lagSamples,
  listChecks,
  loadCurrentFacts,
  loadTimelineFacts,
  modulesWithRecentPickups,
  outcomeCounts,
  recentModules,
  setWatched,
  suggestModules,
  timelineFingerprint,
  watchCounts,
  watchedModules,
} from "./queries";
import { deleteModule, noteInterest } from "./module-growth";
import { compactOutcomes } from "./retention";

/** Runs a synchronous better-sqlite3 call as the port's promise; a thrown error becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * The store port over one SQLite connection. Every statement of the app lives in this folder. `limits`: how many
 * modules checks may watch and when interest expires (MAX_WATCHED_MODULES, WATCH_EXPIRY_DAYS).
 */
export function createSqliteStore(db: Db, limits: GrowthLimits = DEFAULT_GROWTH): Store {
  const writer = createCheckWriter(db, limits);
  const probeWriter = createProbeWriter(db);
  const resolutionWriter = createResolutionWriter(db);
  return {
    createResolution: (resolution) => settle(() => resolutionWriter.createResolution(resolution)),
    findResolution: (id) => settle(() => resolutionWriter.findResolution(id)),
    lastResolution: (inputHash) => settle(() => resolutionWriter.lastResolution(inputHash)),
    recordResolutionProbe: (id, position, probeId) => settle(() => resolutionWriter.recordResolutionProbe(id, position, probeId)),
    finishResolution: (id, status, at) => settle(() => resolutionWriter.finishResolution(id, status, at)),
    runningResolutions: () => settle(() => resolutionWriter.runningResolutions()),

    recordProbe: (record) => settle(() => probeWriter.recordProbe(record)),
    findProbe: (id) => settle(() => probeWriter.findProbe(id)),
    lastProbe: (module, version, fetch) => settle(() => probeWriter.lastProbe(module, version, fetch)),
    listProbes: (module, version, limit) => settle(() => probeWriter.listProbes(module, version, limit)),

    findGoMod: (module, mirror, version) => settle(() => writer.findGoMod(module, mirror, version)),
    recordCheck: (record) => settle(() => writer.recordCheck(record)),
    lastCheck: (module) => settle(() => writer.lastCheck(module)),
    recordVersionTimes: (module, times) => settle(() => writer.recordVersionTimes(module, times)),
    recordVersionTimeFailures: (module, versions, retryAt) => settle(() => writer.recordVersionTimeFailures(module, versions, retryAt)),
    missingVersionTimes: (now, limit) => settle(() => writer.missingVersionTimes(now, limit)),

    findModule: (path) => settle(() => findModule(db, path)),
    listChecks: (moduleId, options) => settle(() => listChecks(db, moduleId, options)),
    countChecks: (moduleId, upTo) => settle(() => countChecks(db, moduleId, upTo)),
    findCheck: (moduleId, checkId) => settle(() => findCheck(db, moduleId, checkId)),
    timelineFacts: (module, asOf, mirrors, reference) => settle(() => loadTimelineFacts(db, module, asOf, mirrors, reference)),
    checkOutcomes: (checkId) => settle(() => checkOutcomeFacts(db, checkId)),
    timelineFingerprint: (moduleId, asOfId) => settle(() => timelineFingerprint(db, moduleId, asOfId)),

    suggestModules: (text, limit) => settle(() => suggestModules(db, text, limit)),
    setWatched: (path, watched) => settle(() => setWatched(db, path, watched)),
    noteInterest: (path, at, throttleMs) => settle(() => noteInterest(db, limits, path, at, throttleMs)),
    watchCounts: (now) => settle(() => watchCounts(db, interestCutoff(now, limits.watchExpiryDays))),
    deleteModule: (path) => settle(() => deleteModule(db, path)),
    recentModules: (options) => settle(() => recentModules(db, options)),
    currentFacts: (rows, mirrors, reference) => settle(() => loadCurrentFacts(db, rows, mirrors, reference)),
    lagSamples: (reference, since, until) => settle(() => lagSamples(db, reference, since, until)),
    outcomeCounts: (since, until) => settle(() => outcomeCounts(db, since, until)),

    watchedModules: (options) => settle(() => watchedModules(db, options)),
    modulesWithRecentPickups: (since) => settle(() => modulesWithRecentPickups(db, since)),

    compactOutcomes: (options) => settle(() => compactOutcomes(db, options)),

    writable: () =>
      settle(() => {
        // BEGIN IMMEDIATE takes the write lock (waiting out the busy timeout) without writing anything.
        db.$client.exec("BEGIN IMMEDIATE");
        db.$client.exec("ROLLBACK");
      }),
    close: () => settle(() => void db.$client.close()),
  };
}
