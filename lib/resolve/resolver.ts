// Resolutions: a whole go.mod (and go.sum) checked against every mirror, one probe per requirement (issue 8/11).
// Started at once and run in the background with bounded concurrency; every recorded probe is written as it lands,
// so a restart resumes what was left (or the resolution says it was interrupted), never loses it silently.

import { createHash } from "node:crypto";
import { effectiveRequirements, parseGoSum, parseMainGoMod } from "@/lib/goproxy";
import type { ProbeStore, Replacement, ResolutionStore, StoredProbe, StoredResolution } from "@/lib/store";

export const MAX_REQUIREMENTS = 2000;

export type ResolveInput = { gomod: string; gosum: string | null; zips: boolean };

export type ProbeFn = (module: string, version: string, fetch: boolean, options: { zip: boolean }) => Promise<{ ok: true; probe: StoredProbe } | { ok: false; message: string }>;

export type ResolverDeps = {
  store: ResolutionStore & Pick<ProbeStore, "findProbe">;
  clock: () => Date;
  /** Probes at once per resolution (RESOLVE_CONCURRENCY). */
  concurrency: number;
  minRecheckSeconds: number;
  probe: ProbeFn;
  log?: (message: string) => void;
};

export type StartOutcome = { ok: true; resolution: StoredResolution; reused: boolean } | { ok: false; error: string };

/** "go.mod:7: usage: require module/path v1.2.3 (require foo)": the go command's words, and the line it means. */
function quoteLine(file: string, text: string, line: number, message: string): string {
  if (line <= 0) return `${file}: ${message}`;
  const source = (text.split("\n")[line - 1] ?? "").trim();
  const shown = source.length > 120 ? `${source.slice(0, 117)}…` : source;
  return `${file}:${line}: ${message}${shown ? ` (line ${line}: ${JSON.stringify(shown)})` : ""}`;
}

/** What a resolution fetches for one requirement: its replacement by module@version, or itself. */
export function fetchTarget(item: { module: string; version: string; replacedBy: Replacement | null; excluded: boolean }): { module: string; version: string } | null {
  if (item.excluded) return null;
  if (item.replacedBy === null) return { module: item.module, version: item.version };
  return "local" in item.replacedBy ? null : { module: item.replacedBy.path, version: item.replacedBy.version };
}

/** The go.mod and go.sum as the go command reads them, or the refusal quoting the line (no I/O, nothing stored). */
function readInput(input: ResolveInput): { ok: true; requirements: ReturnType<typeof effectiveRequirements> } | { ok: false; error: string } {
  const parsed = parseMainGoMod(input.gomod);
  const gomodError = parsed.errors[0];
  if (gomodError) return { ok: false, error: quoteLine("go.mod", input.gomod, gomodError.line, gomodError.message) };
  if (input.gosum !== null) {
    const gosumError = parseGoSum(input.gosum).errors[0];
    // x/mod's text repeats the place ("malformed go.sum:\ngo.sum:3: wrong number of fields 2"): say it once.
    if (gosumError) {
      const words = gosumError.message.replace(/^malformed go\.sum:\s*(?:go\.sum:\d+:\s*)?/, "malformed go.sum: ").replace(/\n/g, " ");
      return { ok: false, error: quoteLine("go.sum", input.gosum, gosumError.line, words) };
    }
  }
  const requirements = effectiveRequirements(parsed);
  if (requirements.length > MAX_REQUIREMENTS) {
    return { ok: false, error: `go.mod has ${requirements.length} requirements; at most ${MAX_REQUIREMENTS} are checked at once` };
  }
  return { ok: true, requirements };
}

/** Refuses a go.mod or go.sum the go command would refuse, before anything is rate-limited or stored; null: fine. */
export function resolveInputProblem(input: ResolveInput): string | null {
  const read = readInput(input);
  return read.ok ? null : read.error;
}

export function createResolver(deps: ResolverDeps) {
  const running = new Map<number, Promise<void>>();
  let stopping = false;

  async function run(id: number): Promise<void> {
    const resolution = await deps.store.findResolution(id);
    if (!resolution || resolution.status !== "running") return;
    const pending = resolution.items.filter((item) => item.probeId === null && fetchTarget(item) !== null);
    let next = 0;
    let failed: unknown = null;
    const worker = async () => {
      while (!stopping && failed === null) {
        const item = pending[next++];
        if (!item) return;
        const target = fetchTarget(item);
        if (!target) continue;
        try {
          const outcome = await deps.probe(target.module, target.version, true, { zip: resolution.zips });
          if (outcome.ok) await deps.store.recordResolutionProbe(id, item.position, outcome.probe.id);
          else deps.log?.(`mirrorlag: resolution ${id}: ${target.module}@${target.version}: ${outcome.message}`);
        } catch (err) {
          failed = err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.concurrency, pending.length)) }, worker));
    // Stopping for a shutdown leaves it running: the next start resumes it. A failure of our own ends it.
    if (failed !== null) {
      deps.log?.(`mirrorlag: resolution ${id} interrupted: ${failed instanceof Error ? failed.message : String(failed)}`);
      await deps.store.finishResolution(id, "interrupted", deps.clock());
    } else if (!stopping) {
      await deps.store.finishResolution(id, "done", deps.clock());
    }
  }

  function launch(id: number): void {
    if (running.has(id) || stopping) return;
    const flight = run(id)
      .catch((err: unknown) => deps.log?.(`mirrorlag: resolution ${id}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => running.delete(id));
    running.set(id, flight);
  }

  return {
    /** Validates the input as the go command reads it, then starts (or reuses) a resolution; the probes run after this returns. */
    async start(input: ResolveInput): Promise<StartOutcome> {
      const read = readInput(input);
      if (!read.ok) return read;
      const { requirements } = read;
      const inputHash = createHash("sha256").update(JSON.stringify([input.gomod, input.gosum, input.zips])).digest("hex");
      if (deps.minRecheckSeconds > 0) {
        const last = await deps.store.lastResolution(inputHash);
        if (last && last.status !== "interrupted" && deps.clock().getTime() - last.createdAt.getTime() < deps.minRecheckSeconds * 1000) return { ok: true, resolution: last, reused: true };
      }
      const resolution = await deps.store.createResolution({
        createdAt: deps.clock(),
        inputHash,
        gomod: input.gomod,
        gosum: input.gosum,
        zips: input.zips,
        total: requirements.length,
        items: requirements.map((r, position) => ({ position, module: r.module, version: r.version, indirect: r.indirect, replacedBy: r.replacedBy, excluded: r.excluded })),
      });
      launch(resolution.id);
      return { ok: true, resolution, reused: false };
    },
    /** After a restart: resolutions left running continue where their recorded probes stop. */
    async resume(): Promise<number[]> {
      const ids = await deps.store.runningResolutions();
      for (const id of ids) launch(id);
      return ids;
    },
    /** Resolves when every running resolution has finished (tests, and the shutdown's grace period). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    /** Shutdown: no new probe starts; those in flight finish and are recorded; what is left resumes after a restart. */
    async stop(): Promise<void> {
      stopping = true;
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}

export type Resolver = ReturnType<typeof createResolver>;
