// One or two plain sentences per diagnosis, in English and Simplified Chinese, built only from its facts. Module
// paths, versions, hashes, environment variables and commands stay in ASCII in both languages.
import { semverMajor, splitPathVersion } from "@/lib/goproxy/browser";
import { errorBodyLine } from "./go-text";
import { matchServerMessage } from "./server-messages";
import type { Diagnosis, FileKind, MirrorErrorReason } from "./types";

type DoctorLocale = "en" | "zh-CN";

/** Hosts whose module paths start with host/owner: GOPRIVATE is usually set per owner there. */
const OWNER_HOSTS = new Set(["github.com", "gitlab.com", "bitbucket.org", "gitee.com", "codeberg.org"]);

/** A GOPRIVATE pattern covering the module: host/owner on the big forges, else the host. */
export function goprivatePattern(module: string): string {
  const parts = module.split("/");
  const host = parts[0] ?? module;
  return OWNER_HOSTS.has(host) && parts.length >= 2 ? `${host}/${parts[1]}` : host;
}

const QUOTE_MAX = 160;

/**
 * The line of a server's text the classifier recognised (else its first line), shortened for a sentence around
 * what was recognised: a git error's telling words often come after a long temporary path. The facts keep all of it.
 */
function quote(message: string | null): string | null {
  const text = (message ?? "").trim();
  if (text === "") return null;
  const match = matchServerMessage(text)?.pattern.exec(text) ?? null;
  const lineStart = match ? text.lastIndexOf("\n", match.index) + 1 : 0;
  const lineEnd = text.indexOf("\n", match ? match.index : 0);
  const whole = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim();
  // "not found: M@V: " repeats what the sentence already names: when the line is too long, quote what follows.
  const line = whole.length > QUOTE_MAX ? whole.replace(/^not found: \S+@\S+: /, "") : whole;
  if (line.length <= QUOTE_MAX) return line;
  const at = match ? Math.max(0, line.indexOf(match[0].split("\n")[0] ?? "")) : 0;
  if (at + (match?.[0].length ?? 0) <= QUOTE_MAX - 3) return `${line.slice(0, QUOTE_MAX - 3)}…`;
  const from = Math.max(0, at - 40);
  const window = line.slice(from, from + QUOTE_MAX - 6);
  return `…${window}${from + window.length < line.length ? "…" : ""}`;
}

function duration(seconds: number, locale: DoctorLocale): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 120) return locale === "en" ? `${minutes} min` : `${minutes} 分钟`;
  const hours = Math.round(minutes / 60);
  return locale === "en" ? `${hours} h` : `${hours} 小时`;
}

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const said = (q: string | null, locale: DoctorLocale) => (q === null ? "" : locale === "en" ? ` ("${q}")` : `（“${q}”）`);

/** The status with the server's words; a 410 is no retraction: to the go command it is a 404 (web/api.go HTTPError.Is). */
function statusPhrase(status: number, q: string | null, locale: DoctorLocale): string {
  if (status === 410) {
    if (locale === "en") return `410 Gone (${q === null ? "" : `"${q}"; `}to the go command the same as 404, not a retraction)`;
    return `410 Gone（${q === null ? "" : `“${q}”；`}对 go 命令而言与 404 相同，并不表示撤回）`;
  }
  return `${status}${said(q, locale)}`;
}

const FILE_NAME: Record<FileKind, string> = { info: ".info", mod: ".mod", zip: ".zip" };

function mirrorErrorReason(reason: MirrorErrorReason, status: number | null, message: string | null, step: FileKind, locale: DoctorLocale): string {
  const q = quote(message);
  const en = locale === "en";
  switch (reason) {
    case "timeout":
      return en ? `it timed out${said(q, locale)}` : `请求超时${said(q, locale)}`;
    case "network":
      return en ? `the connection failed${said(q, locale)}` : `连接失败${said(q, locale)}`;
    case "http_status": {
      // The probe writes "HTTP 502: <first line of the body>": quote the body only.
      const body = quote(errorBodyLine(message));
      return en ? `it answered ${status ?? "an error"}${said(body, locale)}` : `它返回了 ${status ?? "错误"}${said(body, locale)}`;
    }
    case "too_large":
      if (step === "zip") return en ? "its zip is over 500 MiB, the go command's limit" : "其 zip 超过 500 MiB，即 go 命令的上限";
      return en ? `the answer was too large${said(q, locale)}` : `应答过大${said(q, locale)}`;
    case "malformed":
      return en ? `the answer was malformed${said(q, locale)}` : `应答格式错误${said(q, locale)}`;
    case "fetch_timed_out":
      return en ? `it answered 404 "not found: fetch timed out": its own fetch from the origin timed out` : `它返回 404 “not found: fetch timed out”：它自己从源站获取时超时了`;
    case "bad_upstream":
      return en ? `it answered 404 "not found: bad upstream": its upstream failed` : `它返回 404 “not found: bad upstream”：它的上游出错了`;
    case "zip_too_large":
      return en ? `it answered 404: the module zip would exceed 500 MiB${said(q, locale)}` : `它返回 404：模块 zip 将超过 500 MiB${said(q, locale)}`;
    case "malformed_file_path":
      return en ? `it answered 404: the module holds a file name that module zips forbid${said(q, locale)}` : `它返回 404：模块中有模块 zip 不允许的文件名${said(q, locale)}`;
    case "internal_error":
      return en ? `it answered ${status ?? 404} "internal server error"` : `它返回 ${status ?? 404} “internal server error”`;
    case "rejected_path":
      return en ? `it rejected the request path${said(q, locale)}` : `它拒绝了请求路径${said(q, locale)}`;
    case "not_probed":
      return en ? "the probe got no answer from it" : "探测没有得到它的应答";
  }
}

function mirrorErrorAdvice(reason: MirrorErrorReason, status: number | null, locale: DoctorLocale): string {
  const en = locale === "en";
  if (reason === "zip_too_large" || reason === "malformed_file_path") {
    return en ? " No proxy can serve this version; the author has to publish a fixed one." : "任何代理都无法提供这个版本，只能由作者发布修正后的版本。";
  }
  // A probe's timeout is its own: go1.19 sets none for a proxy, so it waits, and `|` never comes into play.
  if (reason === "timeout") {
    return en
      ? " The go command sets no timeout of its own: it would keep waiting for this mirror (and use a late answer), never moving on to the next one, whatever the separator."
      : "go 命令自身不设超时：它会一直等待这个镜像（迟到的应答也会被采用），无论用哪种分隔符都不会转而尝试下一个。";
  }
  if (status === 404 || status === 410) {
    return en
      ? " The go command treats this answer as not found and moves on to the next mirror; a retry later may succeed."
      : "go 命令把这个应答当作“未找到”，会继续尝试下一个镜像；稍后重试可能成功。";
  }
  return en
    ? " The go command stops a comma-separated GOPROXY here; with | after this mirror it would try the next one."
    : "在逗号分隔的 GOPROXY 中，go 命令会在此停止；若在该镜像后用 | 分隔，则会继续尝试下一个。";
}

function text(d: Diagnosis, locale: DoctorLocale): string {
  const en = locale === "en";
  const f = d.facts;
  const mv = `${f.module}@${f.version}`;
  switch (d.code) {
    case "served":
      // A zip-less probe vouches for the go.mod only: the sentence must not claim the zip was checked.
      if (!d.facts.zipProbed) {
        return en
          ? `${f.mirror} serves .info and .mod of ${mv}; its go.mod matches the verified record of ${d.facts.checksumDb} (the zip was not probed).`
          : `${f.mirror} 提供 ${mv} 的 .info 和 .mod，其 go.mod 与 ${d.facts.checksumDb} 的已验证记录一致（未探测 zip）。`;
      }
      return en
        ? `${f.mirror} serves ${mv}; its zip and go.mod match the verified record of ${d.facts.checksumDb}.`
        : `${f.mirror} 提供 ${mv}，其 zip 和 go.mod 与 ${d.facts.checksumDb} 的已验证记录一致。`;
    case "retracted_served": {
      const why = d.facts.rationale.split("\n").map((l) => l.trim()).filter((l) => l !== "").join(" ");
      const unprobed = d.facts.zipProbed ? "" : en ? " Only its .info and .mod were probed, not the zip." : "本次只探测了 .info 和 .mod，未探测 zip。";
      return en
        ? `${f.mirror} serves ${mv}, which its author retracted${why ? ` ("${why}")` : " (no reason given)"}. go get ${mv} still works, but @latest and go list -m -versions skip it.${unprobed}`
        : `${f.mirror} 提供 ${mv}，但作者已撤回该版本${why ? `（理由：“${why}”）` : "（未注明理由）"}。go get ${mv} 仍然可用，但 @latest 和 go list -m -versions 会跳过它。${unprobed}`;
    }
    case "not_yet_on_mirror": {
      const x = d.facts;
      const q = quote(x.message);
      const seen = x.referenceFirstSeen ? (en ? ` (first seen ${utc(x.referenceFirstSeen)})` : `（首次发现于 ${utc(x.referenceFirstSeen)}）`) : "";
      const first = en
        ? `${x.mirror} answers ${statusPhrase(x.status, q, locale)} for ${FILE_NAME[x.step]} of ${mv}${x.servedBy ? ` while ${x.servedBy} serves it${seen}` : ""}.`
        : `${x.mirror} 对 ${mv} 的 ${FILE_NAME[x.step]} 返回 ${statusPhrase(x.status, q, locale)}${x.servedBy ? `，而 ${x.servedBy} 已提供该版本${seen}` : ""}。`;
      let second: string;
      if (x.passiveNotCached) {
        second = en
          ? " The probe did not let it fetch (Disable-Module-Fetch) and it had not cached the version; a real go get, which fetches, may pull it through."
          : "本次探测不允许它拉取（Disable-Module-Fetch），而它尚未缓存该版本；真正的 go get 会触发拉取，可能就能拿到。";
      } else if (x.lagP90Seconds === null) {
        second = en ? " Its lag has not been measured; a mirror may keep a not-found for up to 30 minutes." : "尚未测得它的延迟；镜像可能把“未找到”缓存长达 30 分钟。";
      } else if ((x.expectedWaitSeconds ?? 0) > 0) {
        second = en
          ? ` Given its p90 lag of ${duration(x.lagP90Seconds, locale)}, expect it within about ${duration(x.expectedWaitSeconds ?? 0, locale)}.`
          : `按其 P90 延迟（${duration(x.lagP90Seconds, locale)}）估算，预计约 ${duration(x.expectedWaitSeconds ?? 0, locale)}内可用。`;
      } else {
        second = en
          ? ` That is already longer than its p90 lag of ${duration(x.lagP90Seconds, locale)}; a mirror may keep a not-found for up to 30 minutes.`
          : `这已超过它的 P90 延迟 ${duration(x.lagP90Seconds, locale)}；镜像可能把“未找到”缓存长达 30 分钟。`;
      }
      return first + second;
    }
    case "no_such_version": {
      const x = d.facts;
      const status = statusPhrase(x.status, null, locale);
      if (x.confirmedByReference) {
        const who = x.mirror === x.reference ? (en ? `${x.mirror} answers ${status} with "unknown revision"` : `${x.mirror} 返回 ${status} 并报告 “unknown revision”`) : en ? `${x.mirror} answers ${status}, and ${x.reference} says "unknown revision"` : `${x.mirror} 返回 ${status}，${x.reference} 报告 “unknown revision”`;
        return en
          ? `No mirror serves ${mv}: ${who}, so the tag ${x.version} does not exist at the origin (or did not when a mirror first asked). Check the tag name or push the tag; a not-found may stay cached for up to 30 minutes.`
          : `没有镜像提供 ${mv}：${who}，说明源站上不存在标签 ${x.version}（或镜像首次请求时还不存在）。请检查标签名或推送该标签；“未找到”可能被缓存长达 30 分钟。`;
      }
      if (x.evidence === "unknown_revision") {
        return en
          ? `No mirror serves ${mv}: ${x.mirror} answers ${status}, and a mirror reports "unknown revision" (the tag was not found at the origin), though ${x.reference} did not say so. Check the tag name or push the tag.`
          : `没有镜像提供 ${mv}：${x.mirror} 返回 ${status}，有镜像报告 “unknown revision”（源站上找不到该标签），但 ${x.reference} 没有这样说。请检查标签名或推送该标签。`;
      }
      return en
        ? `No mirror serves ${mv}: ${x.mirror} answers ${statusPhrase(x.status, quote(x.message), locale)}, and no mirror says why. Check the module path (it is case-sensitive) and the tag.`
        : `没有镜像提供 ${mv}：${x.mirror} 返回 ${statusPhrase(x.status, quote(x.message), locale)}，且没有镜像说明原因。请检查模块路径（区分大小写）和标签。`;
    }
    case "no_such_module": {
      const x = d.facts;
      const q = said(quote(x.message), locale);
      const pattern = goprivatePattern(x.module);
      const first =
        x.reason === "no_go_import_meta"
          ? en
            ? `${x.mirror} cannot resolve the import path ${x.module}${q}: https://${x.module}?go-get=1 has no go-import meta tag.`
            : `${x.mirror} 无法解析导入路径 ${x.module}${q}：https://${x.module}?go-get=1 没有 go-import meta 标签。`
          : x.reason === "auth_required"
            ? en
              ? `${x.mirror} cannot read the repository of ${x.module}${q}: it does not exist, or it is private.`
              : `${x.mirror} 无法读取 ${x.module} 的仓库${q}：仓库不存在，或者是私有仓库。`
            : en
              ? `${x.mirror} cannot find the repository of ${x.module}${q}.`
              : `${x.mirror} 找不到 ${x.module} 的仓库${q}。`;
      const second = en
        ? ` A private module needs GOPRIVATE=${pattern} (which also sets GONOSUMDB) and direct access to its repository, not a mirror.`
        : `私有模块需要设置 GOPRIVATE=${pattern}（它同时起到 GONOSUMDB 的作用），并直接访问其仓库，而不是通过镜像。`;
      return first + second;
    }
    case "path_mismatch": {
      const x = d.facts;
      return en
        ? `${x.mirror} serves ${mv}, but its go.mod declares module ${x.declared}: go get ${x.required}@${x.version} fails with "module declares its path as: ${x.declared} but was required as: ${x.required}". Require ${x.declared} instead.`
        : `${x.mirror} 提供 ${mv}，但其 go.mod 声明的模块是 ${x.declared}：go get ${x.required}@${x.version} 会报错 “module declares its path as: ${x.declared} but was required as: ${x.required}”。请改用 ${x.declared}。`;
    }
    case "invalid_version": {
      const x = d.facts;
      const q = quote(x.message);
      const major = semverMajor(x.version);
      const split = splitPathVersion(x.module);
      const needsSuffix = x.kind === "invalid_version_incompatible" && split.ok && split.pathMajor === "" && major !== "" && major !== "v0" && major !== "v1";
      const first = en
        ? `${x.mirror} says ${x.version} is not a valid version of ${x.module}${q ? `: "${q}"` : ""}.`
        : `${x.mirror} 表示 ${x.version} 不是 ${x.module} 的有效版本${q ? `：“${q}”` : ""}。`;
      const second = needsSuffix
        ? en
          ? ` A ${major} tag whose tree has a go.mod belongs to the module path ${x.module}/${major}: go get ${x.module}/${major}@${x.version} works if that go.mod declares module ${x.module}/${major}; if it does not, the author has to fix it and tag a new version.`
          : `含有 go.mod 的 ${major} 标签属于模块路径 ${x.module}/${major}：若该 go.mod 声明的是 module ${x.module}/${major}，go get ${x.module}/${major}@${x.version} 即可；否则需要作者修正 go.mod 并打新的标签。`
        : x.servedBy
          ? en
            ? ` ${x.servedBy} serves it, though.`
            : `不过 ${x.servedBy} 提供了该版本。`
          : "";
      return first + second;
    }
    case "mirror_error": {
      const x = d.facts;
      const why = mirrorErrorReason(x.reason, x.status, x.message, x.step, locale);
      return en
        ? `${x.mirror} failed on the ${FILE_NAME[x.step]} of ${mv}: ${why}.${mirrorErrorAdvice(x.reason, x.status, locale)}`
        : `${x.mirror} 在获取 ${mv} 的 ${FILE_NAME[x.step]} 时失败：${why}。${mirrorErrorAdvice(x.reason, x.status, locale)}`;
    }
    case "hash_mismatch": {
      const x = d.facts;
      const file = x.file === "zip" ? "zip" : "go.mod";
      return en
        ? `${x.mirror} serves a ${file} of ${mv} whose hash ${x.downloaded} differs from the verified record ${x.recorded} of ${x.checksumDb}. The go command stops with "SECURITY ERROR"; do not use this mirror for this version.`
        : `${x.mirror} 提供的 ${mv} 的 ${file} 哈希为 ${x.downloaded}，与 ${x.checksumDb} 的已验证记录 ${x.recorded} 不一致。go 命令会以 “SECURITY ERROR” 终止；请不要通过该镜像获取这个版本。`;
    }
    case "sumdb_unverified": {
      const x = d.facts;
      return unverifiedText(x, mv, locale) + (x.zipProbed ? "" : en ? " (Only .info and .mod were probed, not the zip.)" : "（本次只探测了 .info 和 .mod，未探测 zip。）");
    }
  }
}

/** sumdb_unverified in words; the caller adds what a zip-less probe leaves out. */
function unverifiedText(x: Extract<Diagnosis, { code: "sumdb_unverified" }>["facts"], mv: string, locale: DoctorLocale): string {
  const en = locale === "en";
  if (x.cause === "verification_off") {
    const differs = x.sameBytesAsReference === false;
    return en
      ? `${x.mirror} serves ${mv}, but checksum verification was off for this probe (SUMDB off), so nothing here is verified.${differs ? ` Its bytes also differ from what ${x.reference} serves.` : ""}`
      : `${x.mirror} 提供 ${mv}，但本次探测关闭了校验和验证（SUMDB off），因此这里没有任何内容经过验证。${differs ? `而且它的内容与 ${x.reference} 提供的不同。` : ""}`;
  }
  if (x.cause === "no_verified_record") {
    const why = quote(x.message) ?? (en ? "the checksum database gave no verified record" : "校验和数据库没有给出经过验证的记录");
    return en ? `${x.mirror} serves ${mv}, but it could not be verified: ${why}.` : `${x.mirror} 提供 ${mv}，但无法验证：${why}。`;
  }
  const q = said(quote(x.message), locale);
  const db = x.checksumDb ?? "sum.golang.org";
  const what =
    x.proxyFailure === "supported_failed"
      ? en
        ? `its /sumdb/${db}/supported fails${q}`
        : `其 /sumdb/${db}/supported 请求失败${q}`
      : x.proxyFailure === "lookup_not_found"
        ? en
          ? `its proxy of ${db} has no record of it${q}`
          : `其 ${db} 代理没有该版本的记录${q}`
        : en
          ? `the record its proxy of ${db} serves does not verify${q}`
          : `其 ${db} 代理提供的记录无法通过验证${q}`;
  return en
    ? `${x.mirror} serves ${mv}, but ${what}. The go command through this mirror would fail verifying the download, whatever the bytes.`
    : `${x.mirror} 提供 ${mv}，但${what}。通过该镜像时，go 命令会在验证下载时失败，无论内容是否正确。`;
}

/** The diagnosis as one or two sentences in `locale`. */
export function diagnosisText(diagnosis: Diagnosis, locale: DoctorLocale): string {
  return text(diagnosis, locale);
}
