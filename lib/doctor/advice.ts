// One GOPROXY value to recommend for this module version now, with one sentence of why. Written for a Go
// developer in mainland China: goproxy.cn and proxy.golang.com.cn are reachable, proxy.golang.org and the origin
// (GitHub, golang.org) often are not. The rule, in order:
//   1. A chain the probe predicts works, made only of mirrors reachable from mainland China, without `|` (it hides
//      real errors) and without `,direct` (the origin is the part that hangs): the healthiest such mirror, followed
//      by the next healthiest when that one serves the version too (a fallback for its next lagging 404).
//   2. Else a working chain that needs an often-blocked mirror, led by the healthiest reachable mirror when the
//      chain still works that way (it picks the version up later; the blocked one serves it now where reachable).
//   3. Else what the first mirror's diagnosis says would work: GOPRIVATE and `,direct` for a private module,
//      waiting for a mirror that has not picked the version up, `,direct` when only the origin has some file,
//      and no change at all when the tag does not exist.
// Health: (1 − error rate) × in-sync rate over the last 7 days, ties by p90 lag; unmeasured mirrors rank last.

import { diagnose, probedFiles } from "./diagnose";
import { goprivatePattern } from "./diagnosis-text";
import { predictChainDetails } from "./chains";
import type { ChainDetail, ChainPrediction, Diagnosis, DoctorInput, GoproxyAdvice, MirrorHealthRank, MirrorHealthStats, ProbedMirror } from "./types";

/** Hosts of mirrors that are often unreachable from mainland China (proxy.golang.org is blocked there). */
const OFTEN_BLOCKED_HOSTS = new Set(["proxy.golang.org"]);

function host(baseUrl: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/:@]+)/i.exec(baseUrl.trim());
  return (m?.[1] ?? "").toLowerCase();
}

const healthScore = (h: MirrorHealthStats) => (h.errorRate === null || h.inSyncRate === null ? -1 : (1 - h.errorRate) * h.inSyncRate);

function rankMirrors(mirrors: readonly ProbedMirror[]): MirrorHealthRank[] {
  return mirrors
    .map((m, i) => ({ m, i }))
    .sort((a, b) => {
      const blocked = Number(OFTEN_BLOCKED_HOSTS.has(host(a.m.baseUrl))) - Number(OFTEN_BLOCKED_HOSTS.has(host(b.m.baseUrl)));
      const score = healthScore(b.m.health) - healthScore(a.m.health);
      const lag = (a.m.health.p90LagSeconds ?? Infinity) - (b.m.health.p90LagSeconds ?? Infinity);
      return blocked || score || (Number.isNaN(lag) ? 0 : lag) || a.i - b.i;
    })
    .map(({ m }) => ({ mirror: m.name, health: m.health, oftenBlockedInMainlandChina: OFTEN_BLOCKED_HOSTS.has(host(m.baseUrl)) }));
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const mins = (s: number) => Math.max(1, Math.ceil(s / 60));

function stats(h: MirrorHealthStats, locale: "en" | "zh-CN"): string {
  if (locale === "en") {
    const parts = [
      h.inSyncRate === null ? "in-sync rate not measured" : `in sync ${pct(h.inSyncRate)}`,
      h.p90LagSeconds === null ? "p90 lag not measured" : `p90 lag ${mins(h.p90LagSeconds)} min`,
      h.errorRate === null ? "error rate not measured" : `errors ${pct(h.errorRate)}`,
    ];
    return `${parts.join(", ")} over the last 7 days`;
  }
  const parts = [
    h.inSyncRate === null ? "同步率未测得" : `同步率 ${pct(h.inSyncRate)}`,
    h.p90LagSeconds === null ? "P90 延迟未测得" : `P90 延迟 ${mins(h.p90LagSeconds)} 分钟`,
    h.errorRate === null ? "错误率未测得" : `错误率 ${pct(h.errorRate)}`,
  ];
  return `最近 7 天${parts.join("、")}`;
}

export function adviseGoproxy(input: DoctorInput, chains: readonly ChainPrediction[]): GoproxyAdvice {
  const mv = `${input.module}@${input.version}`;
  const ranking = rankMirrors(input.mirrors);
  const byName = new Map(input.mirrors.map((m) => [m.name, m]));
  const blocked = new Set(ranking.filter((r) => r.oftenBlockedInMainlandChina).map((r) => r.mirror));
  const diagnoses = diagnose(input);
  // The paths the given chains take (same prediction, so matched by value).
  const detailOf = new Map(predictChainDetails(input).map((c) => [c.goproxy, c]));
  const known = chains.map((c) => ({ chain: c, detail: detailOf.get(c.goproxy) })).filter((c): c is { chain: ChainPrediction; detail: ChainDetail } => c.detail !== undefined);
  const baseOf = (name: string) => byName.get(name)?.baseUrl ?? name;
  const find = (goproxy: string) => known.find((c) => c.chain.goproxy === goproxy) ?? null;
  const works = (goproxy: string) => find(goproxy)?.chain.result === "ok";
  // Bytes that differ from the checksum record, or (verification off) from the reference mirror's, are never advised.
  const trusted = (name: string) => {
    const d = diagnoses[name];
    return !(d?.code === "hash_mismatch" || (d?.code === "sumdb_unverified" && d.facts.sameBytesAsReference === false));
  };
  const reachable = ranking.filter((r) => !r.oftenBlockedInMainlandChina && trusted(r.mirror));
  const advice = (goproxy: string, en: string, zh: string, blocker: Diagnosis | null = null, env: Record<string, string> = {}): GoproxyAdvice => ({
    goproxy,
    reason: { en, "zh-CN": zh },
    basis: { chain: find(goproxy)?.chain ?? null, blocker, ranking, env },
  });
  // Served and fetched through it, but `go get` would still reject it: say so whatever the chain.
  const caveat = (name: string): { en: string; zh: string } => {
    const d = diagnoses[name];
    if (d?.code === "path_mismatch") {
      return { en: `; note that its go.mod declares module ${d.facts.declared}, so require that path instead`, zh: `；注意其 go.mod 声明的模块是 ${d.facts.declared}，请改用该路径` };
    }
    if (d?.code === "sumdb_unverified" && d.facts.cause === "verification_off") {
      return { en: " (checksum verification was off for this probe)", zh: "（本次探测关闭了校验和验证）" };
    }
    return { en: "", zh: "" };
  };

  // 1. Reachable mirrors only.
  const single = reachable.find((r) => works(baseOf(r.mirror)));
  if (single) {
    const second = reachable.find((r) => r !== single && works(baseOf(r.mirror)) && works(`${baseOf(single.mirror)},${baseOf(r.mirror)}`));
    const c = caveat(single.mirror);
    if (second) {
      return advice(
        `${baseOf(single.mirror)},${baseOf(second.mirror)}`,
        `${single.mirror} serves ${mv} now and is the healthiest mirror reachable from mainland China (${stats(single.health, "en")}); ${second.mirror} serves it too and catches its not-found answers${c.en}.`,
        `${single.mirror} 现在就能提供 ${mv}，并且是中国大陆可访问的镜像中最健康的（${stats(single.health, "zh-CN")}）；${second.mirror} 也能提供，可在它返回“未找到”时兜底${c.zh}。`,
      );
    }
    return advice(
      baseOf(single.mirror),
      `${single.mirror} serves ${mv} now and is the healthiest mirror reachable from mainland China that does (${stats(single.health, "en")})${c.en}.`,
      `${single.mirror} 现在就能提供 ${mv}，是中国大陆可访问且能提供该版本的镜像中最健康的（${stats(single.health, "zh-CN")}）${c.zh}。`,
    );
  }
  const reachablePair = known.find(
    (c) =>
      c.chain.result === "ok" &&
      !c.chain.goproxy.includes("direct") &&
      // A probe without the zip has no zip server to judge: only the files it asked count.
      probedFiles(input).every((kind) => {
        const server = c.detail.files[kind];
        return server !== null && !blocked.has(server) && trusted(server);
      }),
  );
  if (reachablePair) {
    const served = reachablePair.chain.servedBy ?? "";
    return advice(
      reachablePair.chain.goproxy,
      `No single reachable mirror serves all of ${mv}, but this order does: the go command takes each file from the first mirror that has it${input.zip ? ` (the zip from ${served})` : ""}.`,
      `没有一个可访问的镜像能单独提供 ${mv} 的全部文件，但按这个顺序可以：go 命令会从第一个拥有该文件的镜像获取每个文件${input.zip ? `（zip 来自 ${served}）` : ""}。`,
    );
  }

  const top = reachable[0] ?? ranking[0];
  const topDiagnosis = top ? (diagnoses[top.mirror] ?? null) : null;
  const wait =
    topDiagnosis?.code === "not_yet_on_mirror" && topDiagnosis.facts.expectedWaitSeconds !== null && topDiagnosis.facts.expectedWaitSeconds > 0
      ? topDiagnosis.facts.expectedWaitSeconds
      : null;

  // 2. Only an often-blocked mirror serves it now.
  const blockedOk = known.filter(
    (c) => c.chain.result === "ok" && !c.chain.goproxy.includes("direct") && !c.chain.goproxy.includes("|") && Object.values(c.detail.files).every((f) => f === null || trusted(f)),
  );
  if (blockedOk.length > 0) {
    const led = top ? blockedOk.find((c) => c.chain.goproxy.startsWith(`${baseOf(top.mirror)},`)) : undefined;
    const pick = led ?? blockedOk[0];
    if (pick) {
      // Name the often-blocked mirrors this order relies on (a reachable one may still serve the zip).
      const used = [...new Set(Object.values(pick.detail.files).filter((f): f is string => f !== null && blocked.has(f)))];
      const server = used.length > 0 ? used.join(", ") : (pick.chain.servedBy ?? "");
      const later =
        top && led
          ? wait !== null
            ? { en: ` ${top.mirror} is tried first and should have it within about ${mins(wait)} min.`, zh: `会先尝试 ${top.mirror}，预计约 ${mins(wait)} 分钟内它也会有该版本。` }
            : { en: ` ${top.mirror} is tried first and serves it once it picks it up.`, zh: `会先尝试 ${top.mirror}，它获取到该版本后即可直接提供。` }
          : { en: "", zh: "" };
      return advice(
        pick.chain.goproxy,
        `Only ${server} serves ${mv} right now, and it is often unreachable from mainland China.${later.en}`,
        `目前只有 ${server} 能提供 ${mv}，而它在中国大陆经常无法访问。${later.zh}`,
      );
    }
  }

  // 3. Nothing works through mirrors alone: what the first mirror's diagnosis says would.
  const lead = top ? baseOf(top.mirror) : (input.mirrors[0]?.baseUrl ?? "");
  const blocker = topDiagnosis ?? diagnoses[input.reference] ?? null;
  if (blocker?.code === "no_such_module") {
    const pattern = goprivatePattern(input.module);
    return advice(
      `${lead},direct`,
      `${input.module} is not on any mirror (${blocker.facts.mirror} cannot read its repository): if it is private, set GOPRIVATE=${pattern} so the go command fetches it directly and skips the checksum database, and keep this GOPROXY for everything else.`,
      `${input.module} 不在任何镜像上（${blocker.facts.mirror} 无法读取其仓库）：如果它是私有模块，请设置 GOPRIVATE=${pattern}，让 go 命令直接获取它并跳过校验和数据库，其余模块仍使用这个 GOPROXY。`,
      blocker,
      { GOPRIVATE: pattern },
    );
  }
  if (blocker?.code === "no_such_version") {
    return advice(
      lead,
      `No GOPROXY helps: the tag ${input.version} does not exist at the origin as far as the mirrors can tell; fix the version or push the tag.`,
      `换哪个 GOPROXY 都没用：就镜像所知，源站上不存在标签 ${input.version}；请修正版本号或推送该标签。`,
      blocker,
    );
  }
  if (blocker?.code === "invalid_version") {
    return advice(
      lead,
      `No GOPROXY helps: ${blocker.facts.mirror} says ${input.version} is not a valid version of ${input.module} (a v2+ version needs the /vN module path).`,
      `换哪个 GOPROXY 都没用：${blocker.facts.mirror} 表示 ${input.version} 不是 ${input.module} 的有效版本（v2 及以上版本需要带 /vN 的模块路径）。`,
      blocker,
    );
  }
  if (blocker?.code === "not_yet_on_mirror" && blocker.facts.passiveNotCached) {
    return advice(
      lead,
      `${blocker.facts.mirror} had not cached ${mv} and this probe did not let it fetch; a real go get through it fetches, and may well succeed.`,
      `${blocker.facts.mirror} 尚未缓存 ${mv}，而本次探测不允许它拉取；通过它执行真正的 go get 会触发拉取，很可能成功。`,
      blocker,
    );
  }
  const direct = known.find((c) => c.chain.result === "needs_direct" && c.chain.goproxy === `${lead},direct`) ?? known.find((c) => c.chain.result === "needs_direct");
  if (direct) {
    const fromOrigin = (Object.entries(direct.detail.files) as [string, string | null][]).filter(([, who]) => who === "direct").map(([f]) => `.${f}`);
    return advice(
      direct.chain.goproxy,
      `No mirror serves all of ${mv}: with ,direct the go command fetches ${fromOrigin.join(", ") || "the rest"} from the origin, which must be reachable from where you run it.`,
      `没有镜像能提供 ${mv} 的全部文件：加上 ,direct 后，go 命令会从源站获取 ${fromOrigin.join("、") || "其余部分"}，前提是你所在的网络能访问源站。`,
      blocker,
    );
  }
  if (blocker?.code === "not_yet_on_mirror") {
    const w = wait !== null ? { en: `about ${mins(wait)} min`, zh: `约 ${mins(wait)} 分钟` } : { en: "up to 30 min (its lag is not measured)", zh: "最长 30 分钟（尚未测得其延迟）" };
    return advice(
      lead,
      `${blocker.facts.mirror} does not have ${mv} yet: wait ${w.en} and try again with the same GOPROXY.`,
      `${blocker.facts.mirror} 还没有 ${mv}：请等待${w.zh}后用同一个 GOPROXY 重试。`,
      blocker,
    );
  }
  // The go command's own first line for the lead mirror says what stops it.
  const leadError = (find(lead)?.chain.error ?? "").split("\n")[0]?.replace(/^go: /, "") ?? "";
  if (/: verifying (?:go\.mod|module): /.test(leadError) && !leadError.includes("checksum mismatch") && input.sumdb.name === "sum.golang.org") {
    return advice(
      lead,
      `The download cannot be verified (${leadError}); from mainland China, GOSUMDB=sum.golang.google.cn reaches the same checksum database.`,
      `下载无法通过校验（${leadError}）；在中国大陆可设置 GOSUMDB=sum.golang.google.cn，它访问的是同一个校验和数据库。`,
      blocker,
      { GOSUMDB: "sum.golang.google.cn" },
    );
  }
  const why = leadError ? { en: ` (${leadError})`, zh: `（${leadError}）` } : { en: "", zh: "" };
  return advice(
    lead,
    `No GOPROXY built from these mirrors downloads ${mv} right now${why.en}; retry later, and see each mirror's diagnosis.`,
    `目前用这些镜像组成的任何 GOPROXY 都无法下载 ${mv}${why.zh}；请稍后重试，并查看各镜像的诊断。`,
    blocker,
  );
}
