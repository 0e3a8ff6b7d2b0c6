// The CLI's pure parts: mirror selection, module@version, the exit-code decision on a resolution, table layout, and
// the API client's handling of refused connections, non-API answers and 429s (with a fake fetch).
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/server";
import type { ResolutionDto, RequirementDto } from "@/lib/resolve";
import { apiError, createApiClient, parseServerUrl } from "./api-client";
import { CliError, EXIT } from "./exit-codes";
import { checkSelection, narrowConfig, parseMirrorList } from "./mirror-selection";
import { table } from "./render";
import { resolveOutcome } from "./resolution-outcome";
import { parseTarget } from "./wait-command";

const MIRRORS = "a=http://127.0.0.1:1,b=http://127.0.0.1:2,c=http://127.0.0.1:3";

function thrown(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error("did not throw");
}

describe("mirror selection", () => {
  it("reads a comma list, trimming and dropping duplicates", () => {
    expect(parseMirrorList(" a, b,,a ")).toEqual(["a", "b"]);
    expect(() => parseMirrorList(" , ")).toThrow("name at least one mirror");
  });

  it("keeps the known order and refuses unknown names with exit 2", () => {
    expect(checkSelection(["c", "a"], ["a", "b", "c"], "configured")).toEqual(["a", "c"]);
    expect(checkSelection(undefined, ["a", "b"], "configured")).toEqual(["a", "b"]);
    const error = thrown(() => checkSelection(["a", "x", "y"], ["a", "b"], "configured in MIRRORS"));
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toBe("--mirrors: unknown mirrors x, y (configured in MIRRORS: a, b)");
  });

  it("narrows the configuration; the reference stays when selected, else the first selected takes its place", () => {
    const config = parseConfig({ MIRRORS, REFERENCE_MIRROR: "b" });
    expect(narrowConfig(config, ["a", "b"])).toMatchObject({ mirrors: [{ name: "a" }, { name: "b" }], referenceMirror: "b" });
    expect(narrowConfig(config, ["c", "a"])).toMatchObject({ mirrors: [{ name: "a" }, { name: "c" }], referenceMirror: "a" });
    expect(narrowConfig(config, undefined).mirrors).toHaveLength(3);
  });
});

describe("parseTarget", () => {
  it("splits at the last @", () => {
    expect(parseTarget("example.com/m/v2@v2.0.1")).toEqual({ module: "example.com/m/v2", version: "v2.0.1" });
  });

  it.each([
    ["example.com/m", '"example.com/m" is not module@version (e.g. example.com/m@v1.2.3)'],
    ["example.com/m@", '"example.com/m@" is not module@version (e.g. example.com/m@v1.2.3)'],
    ["@v1.0.0", '"@v1.0.0" is not module@version (e.g. example.com/m@v1.2.3)'],
    ["example.com/m@latest", "wait needs the version you tagged (e.g. example.com/m@v1.2.3), not latest: each mirror may resolve latest differently"],
    ["example.com/m@1.2.3", "example.com/m@1.2.3: invalid version: not a semantic version (ask for a version such as v1.2.3)"],
    ["example.com/m@v1.2", "example.com/m@v1.2: invalid version: not a canonical version (ask for v1.2.0)"],
  ])("refuses %j with exit 2", (text, message) => {
    const error = thrown(() => parseTarget(text));
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toBe(message);
  });

  it("refuses a malformed module path in the go command's words", () => {
    const error = thrown(() => parseTarget("Example..com/m@v1.0.0"));
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toMatch(/malformed module path/);
  });
});

const served = { verdict: "ok" as const, diagnosis: { code: "served" as const, text: "" }, gosum: { gomod: "not_probed" as const, zip: "not_probed" as const } };
const failedCell = { verdict: "error" as const, diagnosis: { code: "mirror_error" as const, text: "" }, gosum: { gomod: "not_probed" as const, zip: "not_probed" as const } };

function requirement(module: string, state: RequirementDto["state"], mirrors: RequirementDto["mirrors"] = {}, probeId: number | null = null): RequirementDto {
  return { module, version: "v1.0.0", indirect: false, replacedBy: null, excluded: state === "excluded", state, probeId, permalink: null, gosumVsChecksumDb: null, mirrors };
}

function resolution(requirements: RequirementDto[], over: Partial<ResolutionDto> = {}): ResolutionDto {
  return {
    id: 1,
    status: "done",
    createdAt: "2026-12-03T00:00:00.000Z",
    finishedAt: "2026-12-03T00:00:01.000Z",
    zips: false,
    done: requirements.length,
    total: requirements.length,
    permalink: "/resolve?id=1",
    requirements,
    mirrors: { a: { resolves: 0, fails: 0, missing: 0 } },
    advice: { goproxy: "http://127.0.0.1:1", reason: "" },
    unresolvable: [],
    ...over,
  };
}

describe("resolveOutcome", () => {
  it("is 0 when one GOPROXY serves every probed requirement", () => {
    expect(resolveOutcome(resolution([requirement("x.com/a", "probed", { a: served }, 1), requirement("x.com/l", "local")]), ["a"])).toEqual({
      exitCode: EXIT.ok,
      summary: "all 1 probed requirements resolve through GOPROXY=http://127.0.0.1:1",
    });
  });

  it("is 0 when nothing needs a mirror", () => {
    expect(resolveOutcome(resolution([requirement("x.com/l", "local")], { advice: { goproxy: null, reason: "" } }), ["a"]).exitCode).toBe(EXIT.ok);
  });

  it("is 1 with something unresolvable, with no common GOPROXY, or with a requirement left unprobed", () => {
    const probed = requirement("x.com/a", "probed", { a: served }, 1);
    expect(resolveOutcome(resolution([probed], { unresolvable: [{ module: "x.com/a", version: "v1.0.0", code: "no_such_module", goprivate: "x.com/a" }] }), ["a"]).exitCode).toBe(EXIT.failed);
    expect(resolveOutcome(resolution([probed], { advice: { goproxy: null, reason: "" } }), ["a"]).summary).toBe("each requirement resolves somewhere, but no single GOPROXY of a serves all 1");
    expect(resolveOutcome(resolution([probed, requirement("x.com/p", "pending")]), ["a"])).toEqual({ exitCode: EXIT.failed, summary: "1 requirement could not be probed: x.com/p@v1.0.0" });
  });

  it("is 3 when the resolution was interrupted", () => {
    expect(resolveOutcome(resolution([], { status: "interrupted" }), ["a"]).exitCode).toBe(EXIT.unreachable);
  });

  it("is 3 only when the probes show that no selected mirror ever answered, not for any mirror error", () => {
    const dto = resolution([requirement("x.com/a", "probed", { a: failedCell }, 7)], { advice: { goproxy: null, reason: "" }, unresolvable: [{ module: "x.com/a", version: "v1.0.0", code: "mirror_error", goprivate: null }] });
    const step = (reason: "network" | "http_status") => ({ outcome: "error" as const, status: null, latencyMs: 1, message: "x", reason });
    const probe = (reason: "network" | "http_status") => new Map([[7, { mirrors: { a: { info: step(reason), mod: step(reason) } } } as never]]);
    expect(resolveOutcome(dto, ["a"], probe("network")).exitCode).toBe(EXIT.unreachable);
    expect(resolveOutcome(dto, ["a"], probe("http_status")).exitCode).toBe(EXIT.failed);
    expect(resolveOutcome(dto, ["a"]).exitCode).toBe(EXIT.failed);
  });
});

describe("table", () => {
  it("pads every column but the last to its widest cell", () => {
    expect(table([["a", "bb", "c"], ["ccc", "d", ""]])).toEqual(["a    bb  c", "ccc  d"]);
  });
});

describe("the API client", () => {
  const answer = (status: number, body: string, headers: Record<string, string> = {}) => new Response(body, { status, headers });

  it("takes only http(s) URLs and drops a trailing slash", () => {
    expect(parseServerUrl("http://localhost:3000/")).toBe("http://localhost:3000");
    expect(thrown(() => parseServerUrl("localhost:3000")).exitCode).toBe(EXIT.usage);
    expect(thrown(() => parseServerUrl("nope")).message).toBe('--server: "nope" is not a URL (e.g. http://localhost:3000)');
  });

  it("turns a refused connection and an answer without the API's JSON into exit 3", async () => {
    const refused = createApiClient("http://127.0.0.1:9", { fetch: () => Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }) })) });
    await expect(refused.get("/api/probes/1")).rejects.toMatchObject({ exitCode: EXIT.unreachable, message: "cannot reach http://127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9" });
    const html = createApiClient("http://x", { fetch: () => Promise.resolve(answer(502, "<html>bad gateway</html>")) });
    await expect(html.get("/api/probes/1")).rejects.toMatchObject({ exitCode: EXIT.unreachable, message: "GET http://x/api/probes/1 answered 502 without the API's JSON (is http://x a mirrorlag server?)" });
  });

  it("waits out a 429's Retry-After, then answers what the server says", async () => {
    const slept: number[] = [];
    const said: string[] = [];
    const answers = [answer(429, '{"error":"too many"}', { "retry-after": "7" }), answer(400, '{"error":"go.mod:1: bad"}')];
    const client = createApiClient("http://x", { fetch: () => Promise.resolve(answers.shift() as Response), sleep: async (ms) => void slept.push(ms), onWait: (l) => said.push(l) });
    const result = await client.post("/api/resolutions", { gomod: "x" });
    expect(result.status).toBe(400);
    expect(apiError(result)).toBe("go.mod:1: bad");
    expect(slept).toEqual([7000]);
    expect(said).toEqual(["server: rate limited, retrying in 7s"]);
  });
});
