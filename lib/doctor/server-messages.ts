// What a mirror's not-found (or error) body says, classified with patterns taken from the servers' own texts.
// Every row carries the real message it was written from and where that message was found; the first matching
// row wins, so the specific rows stand before the general ones ("invalid version: unknown revision" is a missing
// tag, not an invalid version). No row means "retracted": no proxy signals a retraction with 404 or 410.

import type { ServerMessageKind } from "./types";

export type ServerMessagePattern = {
  kind: ServerMessageKind;
  pattern: RegExp;
  /** The real message, verbatim. */
  example: string;
  /** Where it was found: repository and file, or the issue thread it was pasted in. */
  source: string;
};

export const SERVER_MESSAGES: readonly ServerMessagePattern[] = [
  {
    kind: "temporarily_unavailable",
    pattern: /\btemporarily unavailable\b/,
    example: "not found: temporarily unavailable",
    source: "goproxy/goproxy goproxy.go serveCache (Disable-Module-Fetch with nothing cached), goproxy_test.go",
  },
  {
    kind: "fetch_timed_out",
    pattern: /\bfetch timed out\b/,
    example: "not found: fetch timed out",
    source: "https://github.com/golang/go/issues/57185 (proxy.golang.org); goproxy/goproxy error.go errFetchTimedOut",
  },
  {
    kind: "bad_upstream",
    pattern: /\bbad upstream\b/,
    example: "not found: bad upstream",
    source: "goproxy/goproxy error.go errBadUpstream, response.go responseError",
  },
  {
    kind: "zip_too_large",
    pattern: /\bmodule source tree too large\b/,
    example: "not found: create zip: module source tree too large (max size is 524288000 bytes)",
    source: "https://github.com/Azure/azure-sdk-for-go/issues/19845 (sum.golang.org's answer); golang/mod zip/zip.go",
  },
  {
    kind: "zip_too_large",
    pattern: /\bdownloaded zip file too large\b/,
    example: "go get github.com/repo-name: downloaded zip file too large.",
    source: "https://github.com/gohugoio/hugo/issues/7658; golang/go src/cmd/go/internal/modfetch/proxy.go Zip",
  },
  {
    kind: "malformed_file_path",
    pattern: /\bmalformed file path\b/,
    example:
      'not found: create zip: tests/e2e/__image_snapshots__/ci/unit-desktop--errors@go1.16.3?tab=imports-snap.png: malformed file path "tests/e2e/__image_snapshots__/ci/unit-desktop--errors@go1.16.3?tab=imports-snap.png": invalid char \'?\'',
    source: "https://github.com/golang/go/issues/48544 (proxy.golang.org)",
  },
  {
    kind: "unknown_revision",
    pattern: /\bunknown revision\b/,
    example: "not found: github.com/yurivict/ollama@v0.21.1: invalid version: unknown revision v0.21.1",
    source: "https://github.com/golang/go/issues/78907 (proxy.golang.org)",
  },
  {
    kind: "unknown_revision",
    pattern: /\bunknown revision\b/,
    example: "not found: unknown revision Test/Modules1_darwin/modh2/v1.4.0",
    source: "https://github.com/golang/go/issues/34141 (proxy.golang.org, 410 Gone, 2019)",
  },
  {
    kind: "no_matching_versions",
    pattern: /\bno matching versions for query\b/,
    example: 'go: module vcs-test.golang.org/svn/nonexistent.svn: no matching versions for query "latest"',
    source: "golang/go src/cmd/go/testdata/script/mod_download_svn.txt; modload/query.go NoMatchingVersionError",
  },
  {
    kind: "auth_required",
    pattern: /\bterminal prompts disabled\b|\bcould not read (?:Username|Password)\b/,
    example:
      "not found: module zgo.at/zcert: git ls-remote -q origin in /tmp/gopath/pkg/mod/cache/vcs/a7dec0032fe457c85de35892c7cf41338e8fa46202fb9b26982a5f58a6e3387f: exit status 128:\n        fatal: could not read Username for 'https://github.com': terminal prompts disabled\nConfirm the import path was entered correctly.\nIf this is a private repository, see https://golang.org/doc/faq#git_https for additional information.",
    source: "https://github.com/golang/go/issues/43205 (proxy.golang.org, a private repository)",
  },
  {
    kind: "auth_required",
    pattern: /\bIf this is a private repository\b/,
    example: "Confirm the import path was entered correctly.\nIf this is a private repository, see https://golang.org/doc/faq#git_https for additional information.",
    source: "golang/go src/cmd/go/internal/modfetch/codehost/git.go (HelpText)",
  },
  {
    kind: "repo_not_found",
    pattern: /\brepository not found\b|\brepository '[^']*' not found\b|\bproject you were looking for could not be found\b/i,
    example:
      "remote: The project you were looking for could not be found.\nfatal: repository 'https://git.garena.com/gxx/liveserver.git/' not found",
    source: "https://github.com/golang/go/issues/23015",
  },
  {
    kind: "repo_not_found",
    pattern: /\brepository not found\b/i,
    example:
      "go get: module github.com/jpg013/ratelimiter: git ls-remote -q origin in ~/golang/pkg/mod/cache/vcs/42570c0d61016cd616c1a635170e7122ff9f3b0ea15f0d11a132c5de7f44f435: exit status 128:\n\tERROR: Repository not found.\n\tfatal: Could not read from remote repository.",
    source: "https://github.com/jpg013/go_rate_limiter/issues/1",
  },
  {
    kind: "no_go_import_meta",
    pattern: /\bno go-import meta tags?\b/,
    example: 'package golang.org/x/sys/unix: unrecognized import path "golang.org/x/sys/unix" (parse https://golang.org/x/sys/unix?go-get=1: no go-import meta tags ())',
    source: "https://github.com/gopherjs/gopherjs/issues/890; golang/go src/cmd/go/internal/vcs/vcs.go",
  },
  {
    kind: "invalid_version_incompatible",
    pattern: /\bmodule contains a go\.mod file, so (?:module path must match major version|major version must be compatible)\b/,
    example:
      'not found: github.com/rubyist/circuitbreaker@v2.2.2+incompatible: invalid version: module contains a go.mod file, so module path must match major version ("github.com/rubyist/circuitbreaker/v2")',
    source: "https://github.com/rubyist/circuitbreaker/issues/68 (sum.golang.org's answer)",
  },
  {
    kind: "invalid_version_incompatible",
    pattern: /\bmodule contains a go\.mod file, so (?:module path must match major version|major version must be compatible)\b/,
    example:
      'require github.com/BTBurke/caddy-jwt: version "v3.7.2" invalid: module contains a go.mod file, so major version must be compatible: should be v0 or v1, not v3',
    source: "https://github.com/BTBurke/caddy-jwt/issues/58",
  },
  {
    kind: "invalid_version_incompatible",
    pattern: /\+incompatible suffix not allowed\b/,
    example:
      "golang.org/x/text@v0.1.1-0.20170915032832-14c0d48ead0c+incompatible: invalid version: +incompatible suffix not allowed: major version v0 is compatible",
    source: "golang/go src/cmd/go/testdata/script/mod_invalid_version.txt; modfetch/coderepo.go",
  },
  {
    kind: "invalid_version_incompatible",
    pattern: /\bgo\.mod has (?:post-v\d+|non-\.\.\.[./]v\d+) module path\b/,
    example:
      'go: github.com/plgd-dev/go-coap@v3.0.0: github.com/plgd-dev/go-coap@v3.0.0: invalid version: go.mod has post-v3 module path "github.com/plgd-dev/go-coap/v3" at revision v3.0.0',
    source: "https://github.com/plgd-dev/go-coap/issues/407",
  },
  {
    kind: "invalid_version_incompatible",
    pattern: /\bgo\.mod has (?:post-v\d+|non-\.\.\.[./]v\d+) module path\b/,
    example:
      'go: github.com/mendableai/firecrawl-go/v2@v2.2.0: invalid version: go.mod has non-.../v2 module path "github.com/mendableai/firecrawl-go/v2.1.0" (and .../v2/go.mod does not exist) at revision v2.2.0',
    source: "https://github.com/firecrawl/firecrawl-go/pull/29",
  },
  {
    kind: "invalid_version",
    pattern: /\binvalid version\b/,
    example: "not found: invalid version",
    source: "goproxy/goproxy goproxy.go serveFetch, goproxy_test.go",
  },
  {
    kind: "invalid_version",
    pattern: /\bunrecognized version\b/,
    example: "not found: unrecognized version",
    source: "goproxy/goproxy goproxy.go serveFetch, goproxy_test.go",
  },
  {
    kind: "invalid_version",
    pattern: /\binvalid escaped version\b/,
    example: 'not found: invalid escaped version "!!v1.0.0"',
    source: "goproxy/goproxy goproxy_test.go; golang/mod module/module.go UnescapeVersion",
  },
  {
    kind: "invalid_path",
    pattern: /\binvalid escaped module path\b|\bmalformed module path\b/,
    example: 'not found: invalid escaped module path "foobar": malformed module path "foobar": missing dot in first path element',
    source: "goproxy/goproxy goproxy_test.go; golang/mod module/module.go UnescapePath, CheckPath",
  },
  {
    kind: "invalid_path",
    pattern: /\bmissing \/@v\//,
    example: "not found: missing /@v/",
    source: "goproxy/goproxy goproxy.go serveFetch, goproxy_test.go",
  },
  {
    kind: "internal_error",
    pattern: /^internal server error$/i,
    example: "internal server error",
    source: "https://github.com/goproxy/goproxy.cn/issues/167; goproxy/goproxy response.go responseInternalServerError",
  },
  {
    kind: "gateway_error",
    pattern: /^(?:Gateway Time-?out|Bad Gateway)$/i,
    example: "Gateway Timeout",
    source: "https://github.com/goproxy/goproxy.cn/issues/186 (504 from goproxy.cn's CDN)",
  },
];

/** The first row whose pattern matches, or null (no body, or a text no source showed us). */
export function matchServerMessage(message: string | null): ServerMessagePattern | null {
  if (message === null) return null;
  const text = message.trim();
  if (text === "") return null;
  return SERVER_MESSAGES.find((row) => row.pattern.test(text)) ?? null;
}

export function classifyServerMessage(message: string | null): ServerMessageKind | null {
  return matchServerMessage(message)?.kind ?? null;
}
