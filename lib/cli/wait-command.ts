// `mirrorlag wait M@V`: a release pipeline waits until every (selected) mirror serves the version it just tagged.
// Each round probes M@V on every mirror (.info and .mod, as `go mod download` asks them first, and the checksum
// database) and asks the doctor for its verdict; rounds repeat every --interval until all say ok or --timeout passes.
// No database: the evidence of a round is judged and dropped. With --server, POST /api/probes does the round.

import { diagnose, diagnosisText } from "@/lib/doctor";
import type { DoctorInput, ProbeDto } from "@/lib/doctor";
import { runProbe } from "@/lib/probe";
import { ConfigError, firstIssue, getConfig, probeRequestSchema } from "@/lib/server";
import type { Config } from "@/lib/server";
import { apiError, createApiClient, parseServerUrl } from "./api-client";
import type { ApiClient } from "./api-client";
import { formatDuration } from "./duration";
import { CliError, EXIT } from "./exit-codes";
import type { ExitCode } from "./exit-codes";
import { checkSelection, narrowConfig } from "./mirror-selection";
import { renderWait, waitStatus } from "./render";
import type { WaitMirror, WaitResult } from "./render";
import { neverAnswered } from "./resolution-outcome";
import type { CliIo } from "./resolve-command";

export type WaitOptions = { timeoutMs: number; intervalMs: number; fetch: boolean; mirrors?: string[]; json: boolean; server?: string };

type Round = { mirrors: Record<string, WaitMirror>; unreachable: boolean; probe: ProbeDto | null };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** "example.com/m@v1.2.3" → its parts, checked as POST /api/probes checks them; "latest" is no version to wait for. */
export function parseTarget(text: string): { module: string; version: string } {
  const at = text.lastIndexOf("@");
  if (at <= 0 || at === text.length - 1) throw new CliError(EXIT.usage, `"${text}" is not module@version (e.g. example.com/m@v1.2.3)`);
  const modulePath = text.slice(0, at);
  const version = text.slice(at + 1);
  if (version === "latest") throw new CliError(EXIT.usage, `wait needs the version you tagged (e.g. ${modulePath}@v1.2.3), not latest: each mirror may resolve latest differently`);
  const parsed = probeRequestSchema.safeParse({ module: modulePath, version, fetch: false });
  // The API's sentence also offers "latest", which wait refuses above.
  if (!parsed.success) throw new CliError(EXIT.usage, firstIssue(parsed.error).replace(", or latest)", ")"));
  return { module: modulePath, version };
}

function configOrUsageError(mirrors: string[] | undefined): Config {
  try {
    return narrowConfig(getConfig(), mirrors);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(EXIT.usage, error.message.replace(/^mirrorlag: /, ""));
    throw error;
  }
}

/** One probe of every selected mirror, judged by the doctor without history (no lag or health is known here). */
function localRound(config: Config, module: string, version: string, fetch: boolean): () => Promise<Round> {
  return async () => {
    const evidence = await runProbe(
      { mirrors: config.mirrors, sumdb: config.sumdb, requestTimeoutMs: config.requestTimeoutMs, zipTimeoutMs: config.zipTimeoutMs },
      { module, version, fetch, zip: false },
    );
    const probed = config.mirrors.flatMap((m) => {
      const probe = evidence.mirrors[m.name];
      return probe ? [{ ...m, probe }] : [];
    });
    const input: DoctorInput = {
      module,
      version,
      fetch,
      zip: false,
      at: new Date(),
      reference: config.referenceMirror,
      sumdb: evidence.sumdb,
      referenceFirstSeen: null,
      mirrors: probed.map((m) => ({
        name: m.name,
        baseUrl: m.baseUrl,
        probe: m.probe,
        context: { listed: null, latest: null, retracted: null, lagP90Seconds: null },
        health: { inSyncRate: null, p90LagSeconds: null, errorRate: null },
      })),
    };
    const diagnoses = diagnose(input);
    const mirrors: Record<string, WaitMirror> = {};
    for (const m of probed) {
      const d = diagnoses[m.name];
      if (d) mirrors[m.name] = { verdict: d.verdict, diagnosis: { code: d.code, text: diagnosisText(d, "en") } };
    }
    return { mirrors, unreachable: probed.every((m) => neverAnswered(m.probe)), probe: null };
  };
}

/** POST /api/probes: the server probes (with the zip, as its doctor does) and answers the doctor's verdicts. */
function serverRound(client: ApiClient, module: string, version: string, fetch: boolean, selected: string[] | undefined): () => Promise<Round> {
  return async () => {
    const answer = await client.post("/api/probes", { module, version, fetch });
    if (answer.status >= 400 && answer.status < 500) throw new CliError(EXIT.usage, `${client.base}: ${apiError(answer)}`);
    const probe = answer.body.probe as ProbeDto | undefined;
    if (answer.status !== 200 || !probe || !Array.isArray(probe.mirrorOrder)) throw new CliError(EXIT.unreachable, `POST ${client.base}/api/probes answered ${answer.status}: ${apiError(answer)}`);
    const names = checkSelection(selected, probe.mirrorOrder, `mirrors of ${client.base}`);
    const mirrors: Record<string, WaitMirror> = {};
    for (const name of names) {
      const m = probe.mirrors[name];
      if (m) mirrors[name] = { verdict: m.verdict, diagnosis: m.diagnosis };
    }
    return { mirrors, unreachable: names.every((n) => { const m = probe.mirrors[n]; return m === undefined || neverAnswered(m); }), probe };
  };
}

export async function runWait(target: string, options: WaitOptions, io: CliIo): Promise<ExitCode> {
  const { module, version } = parseTarget(target);
  const server = options.server === undefined ? null : parseServerUrl(options.server);
  const round =
    server === null
      ? localRound(configOrUsageError(options.mirrors), module, version, options.fetch)
      : serverRound(createApiClient(server, { onWait: io.err }), module, version, options.fetch, options.mirrors);
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let rounds = 0;
  let everAnswered = false;
  let last: Round | null = null;
  let served = false;
  io.err(`wait: ${module}@${version} on ${server ?? "the configured mirrors"}, every ${formatDuration(options.intervalMs)} for at most ${formatDuration(options.timeoutMs)}`);
  for (;;) {
    rounds++;
    try {
      last = await round();
      everAnswered ||= !last.unreachable;
      const missing = Object.values(last.mirrors).filter((m) => m.verdict !== "ok").length;
      io.err(`wait: ${waitStatus(last.mirrors)} — ${formatDuration(Date.now() - started)} elapsed`);
      if (missing === 0) {
        served = true;
        break;
      }
    } catch (error) {
      // A server that answered before and fails now is waited for like a lagging mirror; one never reached is not.
      if (!(error instanceof CliError) || error.exitCode !== EXIT.unreachable || last === null) throw error;
      io.err(`wait: ${error.message}; retrying — ${formatDuration(Date.now() - started)} elapsed`);
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(options.intervalMs, deadline - Date.now()));
  }
  const mirrors = last?.mirrors ?? {};
  const result: WaitResult = {
    module,
    version,
    fetch: options.fetch,
    result: served ? "served" : everAnswered ? "timeout" : "unreachable",
    elapsedMs: Date.now() - started,
    rounds,
    mirrors,
    missing: Object.entries(mirrors).flatMap(([name, m]) => (m.verdict === "ok" ? [] : [name])),
  };
  const exitCode = result.result === "served" ? EXIT.ok : result.result === "timeout" ? EXIT.failed : EXIT.unreachable;
  if (result.result === "timeout") {
    io.err(`wait: timed out after ${formatDuration(result.elapsedMs)}; still missing: ${result.missing.map((n) => `${n} (${mirrors[n]?.diagnosis.code ?? "?"})`).join(", ")}`);
  } else if (result.result === "unreachable") {
    io.err(`wait: no selected mirror could be reached in ${formatDuration(result.elapsedMs)}`);
  }
  await io.out(options.json ? `${JSON.stringify({ wait: result, probe: last?.probe ?? null }, null, 2)}\n` : renderWait(result, exitCode));
  return exitCode;
}
