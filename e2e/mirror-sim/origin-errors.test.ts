import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock } from "./clock";
import { majorVersionError, repositoryError } from "./origin-errors";
import { proxyUrl, startMirrorSim } from "./sim";
import type { MirrorSim } from "./sim";
import { rawGet } from "./test-helpers";
import type { Scenario } from "./types";

const T0 = new Date("2026-03-01T12:00:00Z");
const TYPO = "github.com/stetchr/testify";
const PRIVATE = "gitlab.com/azureaio/utils";
const VANITY = "go.example.org/gone";
const V2 = "github.com/canopy-labs/featureflip-go";

// Answers the real mirrors gave, as quoted in public issues: the simulator must produce them byte for byte.
const HELP = "Confirm the import path was entered correctly.\nIf this is a private repository, see https://golang.org/doc/faq#git_https for additional information.";
/** proxy.golang.org, 2026 (golang/go#79494). */
const PROXY_GOLANG_ORG_TYPO_LIST =
  "not found: module github.com/stetchr/testify: git ls-remote -q --end-of-options https://github.com/stetchr/testify in /tmp/gopath/pkg/mod/cache/vcs/79044106aa6b19aeeb640dd34c73462e66aafd2883838fe1f39b0fd7f51cc2ee: exit status 128:\n\tfatal: could not read Username for 'https://github.com': terminal prompts disabled\n" +
  HELP;
/** goproxy.cn, 2023 (Noooste/akamai-v2-deobfuscator#1), without the tabs the go command indents it with. */
const GOPROXY_CN_PRIVATE_INFO =
  "not found: gitlab.com/azureaio/utils@v1.2.0: invalid version: git ls-remote -q origin in /tmp/gopath/pkg/mod/cache/vcs/d3d5c49f37db99487708fdc117e3113442791ab6c31c7dc322d09b39594ea7c6: exit status 128:\n\tfatal: could not read Username for 'https://gitlab.com': terminal prompts disabled\n" +
  HELP;
/** A v2 tag without /v2, as a proxy answered it (quoted in canopy-labs/featureflip-go). */
const INVALID_V2 = 'not found: github.com/canopy-labs/featureflip-go@v2.4.0: invalid version: module contains a go.mod file, so module path must match major version ("github.com/canopy-labs/featureflip-go/v2")';

function scenario(): Scenario {
  return {
    start: T0,
    sumdb: {},
    modules: [
      { path: TYPO, origin: "missing", versions: [] },
      { path: PRIVATE, origin: "private", versions: [{ version: "v1.2.0", time: "2023-06-01T00:00:00Z" }] },
      { path: VANITY, origin: "missing", versions: [] },
      {
        path: V2,
        versions: [
          { version: "v1.0.1", time: "2025-01-01T00:00:00Z", gomod: `module ${V2}\n` },
          { version: "v2.4.0", time: "2025-06-01T00:00:00Z", gomod: `module ${V2}\n`, invalid: true },
          { version: "v2.5.0", time: "2025-07-01T00:00:00Z", gomod: `module ${V2}\n`, invalid: "create zip: module source tree too large (max size is 524288000 bytes)" },
        ],
      },
    ],
    mirrors: [
      { name: "golang", style: "proxy.golang.org" },
      { name: "cn", style: "goproxy" },
      { name: "old", style: "proxy.golang.org", notFoundStatus: 410 },
    ],
  };
}

let sim: MirrorSim;
const get = (mirror: string, module: string, endpoint: Parameters<typeof proxyUrl>[2]) =>
  rawGet(proxyUrl(sim.mirrors.find((m) => m.name === mirror)?.baseUrl ?? "", module, endpoint), { timeoutMs: 5000 });
const FILES = ["info", "mod", "zip"] as const;

beforeAll(async () => {
  sim = await startMirrorSim(scenario(), { clock: createSimClock(T0) });
});
afterAll(async () => {
  await sim.close();
});

describe("repository errors", () => {
  it("a missing GitHub repository: proxy.golang.org's text, byte for byte, on every endpoint", async () => {
    const list = await get("golang", TYPO, "list");
    expect([list.status, list.headers["content-type"], list.text]).toEqual([404, "text/plain; charset=utf-8", PROXY_GOLANG_ORG_TYPO_LIST]);
    expect((await get("golang", TYPO, "latest")).text).toBe(PROXY_GOLANG_ORG_TYPO_LIST);
    for (const ext of FILES) {
      const res = await get("golang", TYPO, { version: "v1.8.4", ext });
      expect(res.status).toBe(404);
      expect(res.text).toBe(PROXY_GOLANG_ORG_TYPO_LIST.replace(`module ${TYPO}:`, `${TYPO}@v1.8.4: invalid version:`));
    }
    expect((await get("old", TYPO, { version: "v1.8.4", ext: "info" })).status).toBe(410);
  });

  it("a private GitLab repository: goproxy.cn's text, byte for byte; the versions the origin has stay hidden", async () => {
    for (const ext of FILES) {
      const res = await get("cn", PRIVATE, { version: "v1.2.0", ext });
      expect([res.status, res.text]).toEqual([404, GOPROXY_CN_PRIVATE_INFO]);
    }
    expect((await get("cn", PRIVATE, "list")).text).toBe(GOPROXY_CN_PRIVATE_INFO.replace(`${PRIVATE}@v1.2.0: invalid version:`, `module ${PRIVATE}:`));
    // The two styles differ only in how the newer go names the remote.
    expect((await get("golang", PRIVATE, { version: "v1.2.0", ext: "info" })).text).toContain("git ls-remote -q --end-of-options https://gitlab.com/azureaio/utils.git in ");
    expect(sim.visibleVersions("golang", PRIVATE)).toEqual([]);
  });

  it("a missing repository on a vanity host fails at the go-import lookup", async () => {
    expect((await get("golang", VANITY, "list")).text).toBe(
      `not found: module ${VANITY}: unrecognized import path "${VANITY}": reading https://${VANITY}?go-get=1: 404 Not Found`,
    );
    expect((await get("cn", VANITY, { version: "v0.1.0", ext: "mod" })).text).toBe(
      `not found: ${VANITY}@v0.1.0: unrecognized import path "${VANITY}": reading https://${VANITY}?go-get=1: 404 Not Found`,
    );
    expect(repositoryError(VANITY, undefined, "private", "goproxy")).toContain("could not read Username for 'https://go.example.org'");
  });
});

describe("versions the origin refuses", () => {
  it("a v2 tag on a path without /v2: 404 with go's text everywhere, never listed", async () => {
    for (const mirror of ["golang", "cn"]) {
      for (const ext of FILES) expect((await get(mirror, V2, { version: "v2.4.0", ext })).text).toBe(INVALID_V2);
      expect((await get(mirror, V2, "list")).text.trim()).toBe("v1.0.1");
      expect(JSON.parse((await get(mirror, V2, "latest")).text)).toMatchObject({ Version: "v1.0.1" });
    }
    expect(sim.visibleVersions("golang", V2)).toEqual(["v1.0.1"]);
    // Asked with +incompatible, go judges the suffix against the tree's go.mod.
    expect((await get("golang", V2, { version: "v2.4.0+incompatible", ext: "info" })).text).toBe(
      INVALID_V2.replaceAll("@v2.4.0", "@v2.4.0+incompatible"),
    );
    expect((await get("golang", V2, { version: "v1.0.1+incompatible", ext: "info" })).text).toBe(
      `not found: ${V2}@v1.0.1+incompatible: invalid version: +incompatible suffix not allowed: major version v1 is compatible`,
    );
  });

  it("a custom refusal text, and a refusal the major-version rules do not support is a scenario error", async () => {
    expect((await get("cn", V2, { version: "v2.5.0", ext: "zip" })).text).toBe(
      `not found: ${V2}@v2.5.0: invalid version: create zip: module source tree too large (max size is 524288000 bytes)`,
    );
    await expect(
      startMirrorSim({ modules: [{ path: V2, versions: [{ version: "v1.2.0", time: T0, invalid: true }] }], mirrors: [] }),
    ).rejects.toThrow("go's major-version rules accept this version");
  });

  it("majorVersionError follows go1.19's coderepo.go", () => {
    const cases: [string, string, boolean, string | undefined][] = [
      ["x.y/z", "v2.0.0", true, 'module contains a go.mod file, so module path must match major version ("x.y/z/v2")'],
      ["x.y/z", "v3.1.0+incompatible", true, 'module contains a go.mod file, so module path must match major version ("x.y/z/v3")'],
      ["x.y/z", "v3.1.0+incompatible", false, undefined],
      ["x.y/z", "v1.2.0", true, undefined],
      ["x.y/z", "v1.2.0+incompatible", false, "+incompatible suffix not allowed: major version v1 is compatible"],
      ["x.y/z/v3", "v2.0.0", true, "module path includes a major version suffix, so major version must match"],
      ["x.y/z/v3", "v3.0.0+incompatible", false, "module path includes a major version suffix, so major version must match"],
      ["x.y/z/v3", "v3.4.0", true, undefined],
    ];
    for (const [path, version, hasGoMod, want] of cases) expect(majorVersionError(path, version, hasGoMod), `${path}@${version}`).toBe(want);
  });
});
