// `mirrorlag resolve go.mod`: the whole go.mod against the mirrors, in this process (a temporary SQLite database,
// the service's resolver) or through a running instance's API (--server). Progress on stderr, the result on stdout.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toProbeDto } from "@/lib/doctor";
import type { ProbeDto } from "@/lib/doctor";
import { createMirrorRateCap, wallSleep } from "@/lib/polling";
import { fetchTarget } from "@/lib/resolve";
import type { ResolutionDto } from "@/lib/resolve";
import { ConfigError, createService, getConfig, openStore } from "@/lib/server";
import type { Config } from "@/lib/server";
import type { Store } from "@/lib/store";
import { apiError, createApiClient, parseServerUrl } from "./api-client";
import type { ApiClient } from "./api-client";
import { CliError, EXIT } from "./exit-codes";
import type { ExitCode } from "./exit-codes";
import { readTextFile } from "./input-files";
import { onInterrupt } from "./interrupt";
import { checkSelection, narrowConfig } from "./mirror-selection";
import { renderResolution } from "./render";
import { allMirrorErrors, narrowResolution, resolveOutcome } from "./resolution-outcome";

export type ResolveOptions = { sum?: string; mirrors?: string[]; zips: boolean; json: boolean; server?: string };

export type CliIo = {
  cwd: string;
  /** The final result, on stdout. */
  out(text: string): Promise<void>;
  /** One line of progress or explanation, on stderr. */
  err(line: string): void;
};

type Finished = { dto: ResolutionDto; mirrors: string[]; probes: Map<number, ProbeDto>; permalink: string | null };

/** How often progress is looked at; a line is printed only when the count moved. */
const PROGRESS_EVERY_MS = 500;
const SERVER_POLL_EVERY_MS = 1000;
/** Consecutive failed polls of a running resolution before the server counts as gone. */
const MAX_POLL_FAILURES = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runResolve(gomodPath: string, options: ResolveOptions, io: CliIo): Promise<ExitCode> {
  const server = options.server === undefined ? null : parseServerUrl(options.server);
  const input = {
    gomod: readTextFile(gomodPath, io.cwd, "go.mod"),
    gosum: options.sum === undefined ? null : readTextFile(options.sum, io.cwd, "go.sum"),
    zips: options.zips,
  };
  const finished = server === null ? await resolveHere(input, options.mirrors, io) : await resolveThrough(createApiClient(server, { onWait: io.err }), input, options.mirrors, io);
  const outcome = resolveOutcome(finished.dto, finished.mirrors, finished.probes);
  io.err(`resolve: ${outcome.summary}`);
  await io.out(options.json ? `${JSON.stringify({ resolution: finished.dto }, null, 2)}\n` : renderResolution(finished.dto, finished.mirrors, outcome, finished.permalink));
  return outcome.exitCode;
}

function configOrUsageError(mirrors: string[] | undefined): Config {
  try {
    return narrowConfig(getConfig(), mirrors);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(EXIT.usage, error.message.replace(/^mirrorlag: /, ""));
    throw error;
  }
}

/** Done as the API counts it: probed, or needing no probe (a local replacement, an excluded version). */
const doneItems = (items: { probeId: number | null; module: string; version: string; replacedBy: Parameters<typeof fetchTarget>[0]["replacedBy"]; excluded: boolean }[]) =>
  items.filter((item) => item.probeId !== null || fetchTarget(item) === null).length;

/** The service on a temporary database that lives as long as this run (deleted at exit, also on Ctrl-C). */
async function resolveHere(input: { gomod: string; gosum: string | null; zips: boolean }, selected: string[] | undefined, io: CliIo): Promise<Finished> {
  const config = configOrUsageError(selected);
  const dir = mkdtempSync(join(tmpdir(), "mirrorlag-resolve-"));
  const databasePath = join(dir, "resolve.db");
  let store: Store | null = null;
  const unregister = onInterrupt(async () => {
    await store?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    store = openStore({ ...config, databasePath });
    const openedStore = store;
    // Every request but the probes' own goes through the per-mirror cap, as in the server (POLL_MIRROR_RPS).
    const cap = createMirrorRateCap({ requestsPerSecond: config.pollMirrorRps, now: Date.now, sleep: wallSleep });
    const service = createService({
      store: openedStore,
      config: { ...config, databasePath },
      clock: () => new Date(),
      slotFor: (mirror, purpose) => (purpose === "user" || purpose === "api" ? undefined : () => cap.acquire(mirror)),
    });
    const mirrors = config.mirrors.map((m) => m.name);
    try {
      const started = await service.resolver.start(input);
      if (!started.ok) throw new CliError(EXIT.usage, started.error);
      const { id, total } = started.resolution;
      io.err(`resolve: ${total} requirement${total === 1 ? "" : "s"} on ${mirrors.join(", ")}${input.zips ? " (with zips)" : ""}`);
      let finished = false;
      const idle = service.resolver.idle().finally(() => (finished = true));
      let shown = -1;
      while (!finished) {
        await Promise.race([idle, sleep(PROGRESS_EVERY_MS)]);
        const now = await openedStore.findResolution(id);
        const done = now ? doneItems(now.items) : 0;
        if (done !== shown) io.err(`resolve: ${done}/${total} probed`);
        shown = done;
      }
      await idle;
      const dto = await service.resolution(id, "en");
      if (!dto) throw new Error(`resolution ${id} vanished from the temporary database`);
      // Probes are read only to tell mirrors that never answered from ones that failed otherwise.
      const probes = new Map<number, ProbeDto>();
      if (allMirrorErrors(dto, mirrors)) {
        for (const r of dto.requirements) {
          const stored = r.probeId === null ? null : await service.findProbe(r.probeId);
          if (stored) probes.set(stored.id, toProbeDto(stored, "en"));
        }
      }
      return { dto, mirrors, probes, permalink: null };
    } finally {
      await service.resolver.stop();
      await service.prober.stop();
      await service.checker.stop();
    }
  } finally {
    unregister();
    await store?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function asResolution(body: Record<string, unknown>, what: string): ResolutionDto {
  const r = body.resolution as Partial<ResolutionDto> | undefined;
  if (!r || typeof r.id !== "number" || typeof r.status !== "string" || !Array.isArray(r.requirements) || typeof r.mirrors !== "object" || r.mirrors === null) {
    throw new CliError(EXIT.unreachable, `${what}: the answer has no resolution in the API's shape`);
  }
  return r as ResolutionDto;
}

async function fetchProbes(client: ApiClient, ids: number[]): Promise<Map<number, ProbeDto>> {
  const probes = new Map<number, ProbeDto>();
  let next = 0;
  // A few at once: stored probes are immutable and cheap to serve, but one go.mod may name 2,000 of them.
  const worker = async () => {
    for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
      const answer = await client.get(`/api/probes/${id}`);
      const probe = answer.body.probe as ProbeDto | undefined;
      if (answer.status !== 200 || !probe || typeof probe.mirrors !== "object") throw new CliError(EXIT.unreachable, `GET /api/probes/${id}: ${apiError(answer)}`);
      probes.set(id, probe);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, ids.length) }, worker));
  return probes;
}

/** POST /api/resolutions, then GET /api/resolutions/<id> until it is no longer running. */
async function resolveThrough(client: ApiClient, input: { gomod: string; gosum: string | null; zips: boolean }, selected: string[] | undefined, io: CliIo): Promise<Finished> {
  const started = await client.post("/api/resolutions", input);
  if (started.status >= 400 && started.status < 500) throw new CliError(EXIT.usage, `${client.base}: ${apiError(started)}`);
  if (started.status !== 202 && started.status !== 200) throw new CliError(EXIT.unreachable, `POST ${client.base}/api/resolutions answered ${started.status}: ${apiError(started)}`);
  // 202 {"resolution": {"id", "status", "total", ...}}: the cells come with the GETs.
  const head = started.body.resolution as { id?: unknown; total?: unknown } | undefined;
  if (typeof head?.id !== "number" || typeof head.total !== "number") throw new CliError(EXIT.unreachable, "POST /api/resolutions: the answer has no resolution id in the API's shape");
  const { id, total } = head as { id: number; total: number };
  io.err(`resolve: ${total} requirement${total === 1 ? "" : "s"} on ${client.base} (resolution ${id})`);
  let shown = -1;
  let failures = 0;
  let dto: ResolutionDto;
  let mirrors: string[] | null = null;
  for (;;) {
    try {
      const answer = await client.get(`/api/resolutions/${id}`);
      if (answer.status !== 200) throw new CliError(EXIT.unreachable, `GET /api/resolutions/${id} answered ${answer.status}: ${apiError(answer)}`);
      dto = asResolution(answer.body, `GET /api/resolutions/${id}`);
      failures = 0;
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== EXIT.unreachable || ++failures >= MAX_POLL_FAILURES) throw error;
      io.err(`resolve: ${error.message}; retrying`);
      await sleep(2 * SERVER_POLL_EVERY_MS);
      continue;
    }
    // The totals name the server's mirrors from the first answer on: a wrong --mirrors stops here, not at the end.
    mirrors ??= checkSelection(selected, Object.keys(dto.mirrors), `mirrors of ${client.base}`);
    if (dto.done !== shown) io.err(`resolve: ${dto.done}/${dto.total} probed`);
    shown = dto.done;
    if (dto.status !== "running") break;
    await sleep(SERVER_POLL_EVERY_MS);
  }
  const permalink = `${client.base}${dto.permalink}`;
  const probedIds = dto.requirements.flatMap((r) => (r.state === "probed" && r.probeId !== null ? [r.probeId] : []));
  if (selected) {
    const probes = await fetchProbes(client, probedIds);
    return { dto: narrowResolution(dto, probes, mirrors), mirrors, probes, permalink };
  }
  const probes = allMirrorErrors(dto, mirrors) ? await fetchProbes(client, probedIds) : new Map<number, ProbeDto>();
  return { dto, mirrors, probes, permalink };
}
