// The go command's errors when a mirror (or the checksum database) fetches a version from its origin and
// cannot: the text after "not found: " that users paste. Formats from go1.19's modfetch (coderepo.go,
// codehost/git.go, codehost.WorkDir), vcs.go and x/mod module.ModuleError; wording checked against real
// answers (golang/go#79494, #46369; goproxy.cn answers quoted in public issues).
import { createHash } from "node:crypto";
import { parseSemver } from "./go-rules";
import type { MirrorStyle } from "./types";

/** x/mod ModuleError: `M@V: invalid version: …` for a version the origin refuses, `module M: …` for the module. */
export function moduleError(module: string, version: string | undefined, detail: string, invalidVersion = true): string {
  if (version === undefined) return `module ${module}: ${detail}`;
  return invalidVersion ? `${module}@${version}: invalid version: ${detail}` : `${module}@${version}: ${detail}`;
}

export function unknownRevision(module: string, version: string): string {
  return moduleError(module, version, `unknown revision ${version}`);
}

// Hosts that answer an anonymous clone of a missing repository like one of a private repository (asking
// for credentials), so the go command cannot tell the two apart there.
const CREDENTIAL_HOSTS: Record<string, { elements: number; suffix: string }> = {
  "github.com": { elements: 3, suffix: "" },
  "gitlab.com": { elements: 3, suffix: ".git" },
  "bitbucket.org": { elements: 3, suffix: "" },
};

/**
 * The failed `git ls-remote` (codehost/git.go adds the help text when git could not prompt for a user name).
 * proxy.golang.org runs a newer go that passes the URL after --end-of-options; the goproxy library's go (as
 * goproxy.cn answered in 2023) still says "origin". The cache directory is sha256("git3:" + remote URL).
 */
function gitAuthError(modulePath: string, style: MirrorStyle): string {
  const host = modulePath.split("/")[0] ?? modulePath;
  const known = CREDENTIAL_HOSTS[host];
  const root = known ? modulePath.split("/").slice(0, known.elements).join("/") : modulePath;
  const remote = `https://${root}${known?.suffix ?? ""}`;
  const dir = createHash("sha256").update(`git3:${remote}`).digest("hex");
  const command = style === "goproxy" ? "git ls-remote -q origin" : `git ls-remote -q --end-of-options ${remote}`;
  return (
    `${command} in /tmp/gopath/pkg/mod/cache/vcs/${dir}: exit status 128:\n` +
    `\tfatal: could not read Username for 'https://${host}': terminal prompts disabled\n` +
    "Confirm the import path was entered correctly.\n" +
    "If this is a private repository, see https://golang.org/doc/faq#git_https for additional information."
  );
}

/**
 * What a proxy says for every endpoint of a module whose repository is missing or private. A missing
 * repository on a vanity host fails earlier, at the go-import lookup (vcs.go: "unrecognized import path").
 */
export function repositoryError(module: string, version: string | undefined, state: "missing" | "private", style: MirrorStyle): string {
  const host = module.split("/")[0] ?? module;
  if (state === "missing" && !(host in CREDENTIAL_HOSTS)) {
    return moduleError(module, version, `unrecognized import path "${module}": reading https://${module}?go-get=1: 404 Not Found`, false);
  }
  return moduleError(module, version, gitAuthError(module, style));
}

/** The `/vN` of a module path (gopkg.in's `.vN` is not modelled), or undefined. */
function pathMajor(module: string): number | undefined {
  const m = /\/v([2-9]|[1-9]\d+)$/.exec(module);
  return m ? Number(m[1]) : undefined;
}

/**
 * go1.19 coderepo.go's verdict on a tag whose major version does not fit the module path (what newer go
 * still prints; go1.13–1.16 said "…so major version must be compatible: should be v0 or v1, not v2").
 * Undefined when the version fits the path.
 */
export function majorVersionError(module: string, version: string, hasGoMod: boolean): string | undefined {
  const sv = parseSemver(version);
  if (!sv) return undefined;
  const incompatible = sv.build === "incompatible";
  const want = pathMajor(module);
  if (want !== undefined) {
    return sv.major === want && !incompatible ? undefined : "module path includes a major version suffix, so major version must match";
  }
  // Without a go.mod a v2+ tag is fine as +incompatible; with one, with or without the suffix, it is not.
  if (sv.major >= 2) return hasGoMod ? `module contains a go.mod file, so module path must match major version ("${module}/v${sv.major}")` : undefined;
  return incompatible ? `+incompatible suffix not allowed: major version v${sv.major} is compatible` : undefined;
}
