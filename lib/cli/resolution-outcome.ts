// What `mirrorlag resolve` decides from a finished resolution: its exit code, and (with --server and --mirrors) the
// resolution narrowed to the selected mirrors, its GOPROXY chosen among the chains made of them alone. Pure.

import { goprivatePattern } from "@/lib/doctor";
import type { ProbeDto, ProbeMirrorDto, ProbeStep } from "@/lib/doctor";
import type { ResolutionDto } from "@/lib/resolve";
import { EXIT } from "./exit-codes";
import type { ExitCode } from "./exit-codes";

export type ResolveOutcome = { exitCode: ExitCode; summary: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Only connection failures and timeouts on both files: the mirror never answered anything. */
export function neverAnswered(m: Pick<ProbeMirrorDto, "info" | "mod">): boolean {
  const down = (s: ProbeStep) => s.outcome === "error" && (s.reason === "network" || s.reason === "timeout");
  return down(m.info) && down(m.mod);
}

/** Every selected cell is a mirror error: the only case in which the probes must be read to tell "unreachable". */
export function allMirrorErrors(dto: ResolutionDto, mirrors: readonly string[]): boolean {
  const probed = dto.requirements.filter((r) => r.state === "probed");
  return probed.length > 0 && probed.every((r) => mirrors.every((name) => r.mirrors[name]?.diagnosis.code === "mirror_error"));
}

/**
 * Exit 0 when the resolution finished, every requirement that needs a mirror was probed, and one GOPROXY value (the
 * recommended one, made of the selected mirrors) serves every one of them; local replacements and excluded versions
 * need no mirror. Exit 3 when no selected mirror answered anything (`probes` tell connection failures from, say, a 502)
 * or the resolution was interrupted; else 1.
 */
export function resolveOutcome(dto: ResolutionDto, mirrors: readonly string[], probes: ReadonlyMap<number, ProbeDto> = new Map()): ResolveOutcome {
  if (dto.status === "interrupted") return { exitCode: EXIT.unreachable, summary: `resolution ${dto.id} was interrupted after ${dto.done} of ${dto.total} requirements` };
  if (dto.status === "running") return { exitCode: EXIT.unreachable, summary: `resolution ${dto.id} is still running` };
  const probed = dto.requirements.filter((r) => r.state === "probed");
  const unreachable =
    allMirrorErrors(dto, mirrors) &&
    probed.every((r) => {
      const probe = r.probeId === null ? undefined : probes.get(r.probeId);
      return probe !== undefined && mirrors.every((name) => {
        const m = probe.mirrors[name];
        return m !== undefined && neverAnswered(m);
      });
    });
  if (unreachable) return { exitCode: EXIT.unreachable, summary: `no selected mirror could be reached (${mirrors.join(", ")}): every request failed to connect or timed out` };
  const pending = dto.requirements.filter((r) => r.state === "pending");
  if (pending.length > 0) {
    return { exitCode: EXIT.failed, summary: `${plural(pending.length, "requirement")} could not be probed: ${pending.map((r) => `${r.module}@${r.version}`).join(", ")}` };
  }
  if (dto.unresolvable.length > 0) {
    return { exitCode: EXIT.failed, summary: `${plural(dto.unresolvable.length, "requirement")} of ${probed.length} probed ${dto.unresolvable.length === 1 ? "does" : "do"} not resolve through any GOPROXY of ${mirrors.join(", ")}` };
  }
  if (probed.length > 0 && dto.advice.goproxy === null) {
    return { exitCode: EXIT.failed, summary: `each requirement resolves somewhere, but no single GOPROXY of ${mirrors.join(", ")} serves all ${probed.length}` };
  }
  if (probed.length === 0) return { exitCode: EXIT.ok, summary: "nothing to fetch: no requirement needs a mirror (none, or only local replacements and excluded versions)" };
  return { exitCode: EXIT.ok, summary: `all ${probed.length} probed requirements resolve through GOPROXY=${dto.advice.goproxy}` };
}

/** The mirror names a GOPROXY value uses ("direct" aside), or null when it names a URL of no probed mirror. */
function chainMirrors(goproxy: string, probe: ProbeDto): string[] | null {
  const byUrl = new Map(Object.entries(probe.mirrors).map(([name, m]) => [m.baseUrl, name]));
  const names: string[] = [];
  for (const entry of goproxy.split(/[,|]/)) {
    if (entry === "direct" || entry === "off") continue;
    const name = byUrl.get(entry);
    if (name === undefined) return null;
    names.push(name);
  }
  return names;
}

const pick = <T>(record: Record<string, T>, names: readonly string[]): Record<string, T> =>
  Object.fromEntries(names.flatMap((n) => (record[n] === undefined ? [] : [[n, record[n]] as const])));

/**
 * A server's resolution seen through the selected mirrors only: their cells and totals, the GOPROXY chosen among the
 * chains of those mirrors that every probed requirement resolves through (the server's own advice when it qualifies,
 * else the one the single probes advised most, else one without `|` and `,direct`), and what none of them can serve.
 */
export function narrowResolution(dto: ResolutionDto, probes: ReadonlyMap<number, ProbeDto>, mirrors: readonly string[]): ResolutionDto {
  const selected = new Set(mirrors);
  const requirements = dto.requirements.map((r) => ({ ...r, mirrors: pick(r.mirrors, mirrors) }));
  const probed = dto.requirements.flatMap((r) => {
    const probe = r.state === "probed" && r.probeId !== null ? probes.get(r.probeId) : undefined;
    return probe ? [{ requirement: r, probe }] : [];
  });
  const ownChains = (probe: ProbeDto) => probe.goproxy.chains.filter((c) => chainMirrors(c.goproxy, probe)?.every((n) => selected.has(n)) ?? false);
  let advice = dto.advice;
  const first = probed[0];
  if (first) {
    const candidates = ownChains(first.probe).map((c) => c.goproxy);
    const allOk = candidates.filter((v) => probed.every(({ probe }) => ownChains(probe).some((c) => c.goproxy === v && c.result === "ok")));
    const votes = new Map<string, number>();
    for (const { probe } of probed) votes.set(probe.goproxy.advice.goproxy, (votes.get(probe.goproxy.advice.goproxy) ?? 0) + 1);
    const voted = [...votes.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
    const plain = allOk.filter((v) => !v.includes("|") && !v.endsWith(",direct"));
    const goproxy = [dto.advice.goproxy, ...voted].find((v) => v !== null && allOk.includes(v)) ?? plain[0] ?? allOk[0] ?? null;
    advice =
      goproxy === null
        ? { goproxy: null, reason: `No single GOPROXY value of the selected mirrors (${mirrors.join(", ")}) serves every requirement now: see the unresolvable ones.` }
        : { goproxy, reason: `Every probed requirement resolves through GOPROXY=${goproxy} now (${probed.length} of them), using only ${mirrors.join(", ")}.` };
  }
  const unresolvable = probed
    .filter(({ probe }) => !ownChains(probe).some((c) => c.result === "ok"))
    .map(({ requirement, probe }) => {
      const judge = selected.has(probe.reference) ? probe.reference : mirrors.find((n) => probe.mirrors[n]);
      const code = judge === undefined ? null : (probe.mirrors[judge]?.diagnosis.code ?? null);
      return { module: requirement.module, version: requirement.version, code, goprivate: code === "no_such_module" ? goprivatePattern(probe.module) : null };
    });
  return { ...dto, requirements, mirrors: pick(dto.mirrors, mirrors), advice, unresolvable };
}
