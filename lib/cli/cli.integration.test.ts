// The real `mirrorlag` bin (lib/cli/mirrorlag.mjs, spawned as a child process, as npx runs it) against the doctor
// scenario's simulated mirrors on the wall clock: exit codes 0/1/2/3 of resolve and wait, the table and the JSON,
// --mirrors, Ctrl-C, and --server mode.
//
// --server mode runs against a node:http stub, not the Next app (no build here): the stub re-implements only the
// four thin route adapters of app/api (POST/GET /api/resolutions, POST/GET /api/probes) with the same lib/server
// input parsers, and answers with the real service's DTOs (createTestService, toProbeDto), so the shapes are real.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMirrorSim, wallClock } from "@/e2e/mirror-sim";
import type { MirrorSim } from "@/e2e/mirror-sim";
import { doctorScenario } from "@/e2e/mirror-sim/scenarios/doctor";
import { createTestService } from "@/e2e/support/test-service";
import { toProbeDto } from "@/lib/doctor";
import type { ProbeDto } from "@/lib/doctor";
import type { ResolutionDto } from "@/lib/resolve";
import { firstIssue, parseProbeId, probeRequestSchema, readJsonObject, readResolutionRequest } from "@/lib/server";
import type { Service } from "@/lib/server";

const BIN = fileURLToPath(new URL("./mirrorlag.mjs", import.meta.url));
const REPO = fileURLToPath(new URL("../../", import.meta.url));

const JWT5 = "github.com/golang-jwt/jwt/v5";
const SEMVER3 = "github.com/Masterminds/semver/v3";
const TESTIFY_TYPO = "github.com/stetchr/testify";
const PROTOBUF = "github.com/golang/protobuf";
const MIRROR_NAMES = ["proxy.golang.org", "goproxy.cn", "proxy.golang.com.cn"];

/** Served by every mirror through one GOPROXY (semver v3.4.0 is not on goproxy.cn yet, but on the two others). */
const GOMOD_OK = `module example.com/app\n\ngo 1.21\n\nrequire (\n\t${JWT5} v5.3.1\n\t${SEMVER3} v3.4.0\n)\n\nrequire example.com/local v0.1.0\n\nreplace example.com/local => ../local\n`;
/** Plus a requirement no mirror can serve (a typo of stretchr/testify: the repository does not exist). */
const GOMOD_UNKNOWN = `module example.com/app\n\ngo 1.21\n\nrequire (\n\t${JWT5} v5.3.1\n\t${TESTIFY_TYPO} v1.8.4\n)\n`;
const GOMOD_SYNTAX = "module example.com/app\n\nrequire foo\n";

let sim: MirrorSim;
let work: string;
let tmp: string;
let childEnv: NodeJS.ProcessEnv;
let stub: { url: string; close(): Promise<void> };
let stubService: Service;

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs the bin with `args` from `cwd`; `onStderr` sees stderr as it arrives (to interrupt at the right moment). */
function mirrorlag(args: string[], options: { cwd?: string; env?: Record<string, string>; onStderr?: (text: string, child: ChildProcess) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? work, env: { ...childEnv, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      options.onStderr?.(stderr, child);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function write(name: string, text: string): string {
  writeFileSync(join(work, name), text);
  return name;
}

const leftovers = () => readdirSync(tmp).filter((name) => name.startsWith("mirrorlag-resolve-"));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The API's four routes over the real service (see the header): same parsers, same DTOs, same statuses. */
async function startApiStub(service: Service): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
      const request = new Request(new URL(req.url ?? "/", "http://stub"), { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const path = new URL(request.url).pathname;
      const id = parseProbeId(path.split("/")[3] ?? "");
      if (req.method === "POST" && path === "/api/resolutions") {
        const body = await readResolutionRequest(request);
        if (!body.ok) return send(body.status, { error: body.error });
        const started = await service.resolver.start(body.value);
        if (!started.ok) return send(400, { error: started.error });
        const { resolution } = started;
        return send(202, { resolution: { id: resolution.id, status: resolution.status, total: resolution.total, reused: started.reused, permalink: `/resolve?id=${resolution.id}` } });
      }
      if (req.method === "GET" && path.startsWith("/api/resolutions/") && id !== null) {
        const resolution = await service.resolution(id, "en");
        return resolution ? send(200, { resolution }) : send(404, { error: `resolution ${id} does not exist` });
      }
      if (req.method === "POST" && path === "/api/probes") {
        const body = await readJsonObject(request);
        if (!body.ok) return send(body.status, { error: body.error });
        const parsed = probeRequestSchema.safeParse(body.value);
        if (!parsed.success) return send(400, { error: firstIssue(parsed.error) });
        const outcome = await service.runProbe(parsed.data.module, parsed.data.version, parsed.data.fetch);
        return outcome.ok ? send(200, { probe: toProbeDto(outcome.probe, "en") }) : send(404, { error: outcome.message });
      }
      if (req.method === "GET" && path.startsWith("/api/probes/") && id !== null) {
        const probe = await service.findProbe(id);
        return probe ? send(200, { probe: toProbeDto(probe, "en") }) : send(404, { error: `probe ${id} does not exist` });
      }
      send(404, { error: "no such route" });
    })().catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  // Wall clock: the CLI's own clock is real time, so the scenario starts now (semver v3.4.0 tagged 3 minutes ago).
  sim = await startMirrorSim(doctorScenario(new Date()), { clock: wallClock() });
  if (!sim.sumdb) throw new Error("the doctor scenario has a checksum database");
  work = mkdtempSync(join(tmpdir(), "mirrorlag-cli-work-"));
  tmp = mkdtempSync(join(tmpdir(), "mirrorlag-cli-tmp-"));
  // Only what the CLI needs: no configuration of the shell running the tests leaks in.
  childEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    // The CLI's temporary database goes here, so the tests can see it deleted.
    TMPDIR: tmp,
    MIRRORS: sim.mirrorsEnv,
    REFERENCE_MIRROR: "proxy.golang.org",
    SUMDB: sim.sumdb.gosumdb,
    REQUEST_TIMEOUT_MS: "3000",
    POLL_MIRROR_RPS: "0",
  };
  ({ service: stubService } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "proxy.golang.org", clock: () => new Date(), env: { SUMDB: sim.sumdb.gosumdb, REQUEST_TIMEOUT_MS: "3000" } }));
  stub = await startApiStub(stubService);
});

afterAll(async () => {
  await stub?.close();
  await stubService?.resolver.stop();
  await stubService?.prober.stop();
  await stubService?.checker.stop();
  await sim?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the bin", () => {
  it("runs through npx from a subdirectory of the repository, with the exit codes in --help", async () => {
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn("npx", ["--no-install", "mirrorlag", "wait", "--help"], { cwd: join(REPO, "lib", "goproxy"), env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Usage: mirrorlag wait [options] <module@version>");
    expect(run.stdout).toContain("1  --timeout passed first; the mirrors still missing it are printed");
    expect(run.stdout).toMatch(/--timeout <duration>\s+give up after this long \(e\.g\. 30s, 5m, 1h30m\)\s+\(default:\s+30m\)/);
  }, 60_000);

  it("answers an unknown command or option with exit 2 and the usage hint", async () => {
    const unknown = await mirrorlag(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    const option = await mirrorlag(["resolve", "go.mod", "--frob"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("error: unknown option '--frob'");
  }, 60_000);
});

describe("resolve, in this process", () => {
  it("exits 0 when one GOPROXY serves every requirement, reading go.mod relative to the user's directory", async () => {
    write("go.mod", GOMOD_OK);
    const run = await mirrorlag(["resolve", "go.mod"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("resolve: 3 requirements on proxy.golang.org, goproxy.cn, proxy.golang.com.cn");
    expect(run.stderr).toContain("resolve: 3/3 probed");
    const lines = run.stdout.split("\n");
    // Failures first: semver v3.4.0 is not on goproxy.cn yet.
    expect(lines[0]).toMatch(/^requirement\s+proxy\.golang\.org\s+goproxy\.cn\s+proxy\.golang\.com\.cn$/);
    expect(lines[1]).toMatch(new RegExp(`^${SEMVER3.replace(/\./g, "\\.")}@v3\\.4\\.0\\s+ok served\\s+not_found not_yet_on_mirror\\s+ok served$`));
    expect(run.stdout).toMatch(new RegExp(`${JWT5.replace(/\./g, "\\.")}@v5\\.3\\.1\\s+ok served\\s+ok served\\s+ok served`));
    expect(run.stdout).toMatch(/example\.com\/local@v0\.1\.0 => \.\.\/local\s+local, not fetched/);
    expect(run.stdout).toMatch(/^not there yet\s+0\s+1\s+0$/m);
    expect(run.stdout).toMatch(/^GOPROXY=http:\/\/127\.0\.0\.1:\d+/m);
    expect(run.stdout).toContain("result: all 2 probed requirements resolve through GOPROXY=");
    expect(run.stdout).not.toContain("unresolvable");
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it("exits 1 and lists what nothing serves, with the GOPRIVATE hint", async () => {
    write("unknown.mod", GOMOD_UNKNOWN);
    const run = await mirrorlag(["resolve", "unknown.mod"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain("GOPROXY: none recommended");
    expect(run.stdout).toContain(`unresolvable (1):\n  ${TESTIFY_TYPO}@v1.8.4: no_such_module (private? GOPRIVATE=github.com/stetchr)`);
    expect(run.stdout).toMatch(/result: 1 requirement of 2 probed does not resolve through any GOPROXY of .* \(exit 1\)/);
    expect(run.stderr).toContain("resolve: 1 requirement of 2 probed does not resolve");
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it("exits 2 on a go.mod the go command refuses, quoting the line, and on a missing file", async () => {
    write("bad.mod", GOMOD_SYNTAX);
    const run = await mirrorlag(["resolve", "bad.mod"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mirrorlag: go.mod:3: usage: require module/path v1.2.3 (line 3: "require foo")');
    expect(run.stdout).toBe("");
    const missing = await mirrorlag(["resolve", "nope/go.mod"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("mirrorlag: cannot read go.mod nope/go.mod: no such file");
    const badSum = await mirrorlag(["resolve", write("go.mod", GOMOD_OK), "--sum", write("bad.sum", "not a go.sum line\n")]);
    expect(badSum.code).toBe(2);
    expect(badSum.stderr).toMatch(/mirrorlag: go\.sum:1: malformed go\.sum: .*\(line 1: "not a go\.sum line"\)/);
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it("prints the resolution as the API shows it with --json, and compares go.sum", async () => {
    write("go.mod", GOMOD_OK);
    const gosum = `${JWT5} v5.3.1/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`;
    const run = await mirrorlag(["resolve", "go.mod", "--sum", write("go.sum", gosum), "--json"]);
    // A go.sum line no mirror matches stops go mod download through any GOPROXY (checksum mismatch, SECURITY ERROR).
    expect(run.code, run.stderr).toBe(1);
    const { resolution } = JSON.parse(run.stdout) as { resolution: ResolutionDto };
    expect(resolution).toMatchObject({ status: "done", done: 3, total: 3, zips: false });
    expect(resolution.unresolvable).toMatchObject([{ module: JWT5, version: "v5.3.1", code: null }]);
    expect(Object.keys(resolution.mirrors)).toEqual(MIRROR_NAMES);
    expect(resolution.advice.goproxy).toBeNull();
    const jwt = resolution.requirements.find((r) => r.module === JWT5);
    expect(jwt).toMatchObject({ state: "probed", gosumVsChecksumDb: "mismatch" });
    expect(jwt?.mirrors["goproxy.cn"]).toMatchObject({ verdict: "ok", diagnosis: { code: "served" }, gosum: { gomod: "mismatch", zip: "not_probed" } });
    expect(resolution.requirements.find((r) => r.module === "example.com/local")).toMatchObject({ state: "local", replacedBy: { local: "../local" } });
  }, 60_000);

  it("--mirrors probes only the named mirrors: goproxy.cn alone lacks semver v3.4.0 (exit 1); an unknown name is exit 2", async () => {
    write("go.mod", GOMOD_OK);
    const run = await mirrorlag(["resolve", "go.mod", "--mirrors", "goproxy.cn", "--json"]);
    expect(run.code, run.stderr).toBe(1);
    const { resolution } = JSON.parse(run.stdout) as { resolution: ResolutionDto };
    expect(Object.keys(resolution.mirrors)).toEqual(["goproxy.cn"]);
    // proxy.golang.org, the reference, was not selected, so goproxy.cn stands in for it: with nobody serving the
    // version, the doctor cannot tell lag from a missing tag (--server below keeps the reference's evidence).
    expect(resolution.unresolvable.map((u) => `${u.module}@${u.version}:${u.code}`)).toEqual([`${SEMVER3}@v3.4.0:no_such_version`]);
    const unknown = await mirrorlag(["resolve", "go.mod", "--mirrors", "goproxy.cn,nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("mirrorlag: --mirrors: unknown mirror nope (configured in MIRRORS: proxy.golang.org, goproxy.cn, proxy.golang.com.cn)");
  }, 60_000);

  it("exits 2 on a bad configuration, naming the variable", async () => {
    const run = await mirrorlag(["resolve", write("go.mod", GOMOD_OK)], { env: { MIRRORS: "nonsense" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mirrorlag: invalid configuration: MIRRORS: "nonsense" is not a name=baseURL pair');
    expect(run.stderr).not.toContain("mirrorlag: mirrorlag:");
  }, 60_000);

  it("exits 3 when no mirror can be reached at all", async () => {
    const port = await freePort();
    const run = await mirrorlag(["resolve", write("go.mod", GOMOD_OK)], { env: { MIRRORS: `dead=http://127.0.0.1:${port}`, REFERENCE_MIRROR: "dead", SUMDB: "off" } });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain("result: no selected mirror could be reached (dead): every request failed to connect or timed out (exit 3)");
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it("stops on Ctrl-C (SIGINT) with exit 130 and deletes its temporary database", async () => {
    // goproxy.cn answers this version's .info and .mod after 20 s: the resolution is still running when interrupted.
    const fault = sim.addFault("goproxy.cn", { module: PROTOBUF, version: "v1.5.3", kinds: ["info", "mod"], effect: { type: "latency", ms: 20_000 } });
    try {
      let sent = false;
      let sawDatabase: string[] = [];
      const run = await mirrorlag(["resolve", write("slow.mod", `module example.com/slow\n\nrequire ${PROTOBUF} v1.5.3\n`)], {
        env: { REQUEST_TIMEOUT_MS: "30000" },
        onStderr: (text, child) => {
          if (sent || !text.includes("resolve: 1 requirement on")) return;
          sent = true;
          sawDatabase = leftovers();
          setTimeout(() => child.kill("SIGINT"), 300);
        },
      });
      expect(sawDatabase).toHaveLength(1);
      expect(run.code, run.stderr).toBe(130);
      expect(run.stderr).toContain("mirrorlag: SIGINT: stopping");
      expect(run.stdout).toBe("");
      expect(leftovers()).toEqual([]);
    } finally {
      sim.clearFaults("goproxy.cn", fault);
    }
  }, 60_000);
});

type WaitJson = { wait: { module: string; version: string; result: string; rounds: number; missing: string[]; mirrors: Record<string, { verdict: string; diagnosis: { code: string; text: string } }> }; probe: ProbeDto | null };

describe("wait, in this process", () => {
  it("exits 0 at once when every mirror serves the version", async () => {
    const run = await mirrorlag(["wait", `${JWT5}@v5.3.1`, "--timeout", "10s", "--interval", "500ms"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/wait: proxy\.golang\.org ok, goproxy\.cn ok, proxy\.golang\.com\.cn ok — \d+ms elapsed/);
    expect(run.stdout).toMatch(/^goproxy\.cn\s+ok\s+served$/m);
    expect(run.stdout).toContain("result: served by every selected mirror (exit 0)");
  }, 60_000);

  it("exits 1 on timeout, naming the mirror still missing it", async () => {
    const run = await mirrorlag(["wait", `${SEMVER3}@v3.4.0`, "--timeout", "2s", "--interval", "500ms", "--json"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("wait: proxy.golang.org ok, goproxy.cn not yet (not_yet_on_mirror), proxy.golang.com.cn ok — ");
    expect(run.stderr).toMatch(/wait: timed out after \ds; still missing: goproxy\.cn \(not_yet_on_mirror\)/);
    const { wait, probe } = JSON.parse(run.stdout) as WaitJson;
    expect(wait).toMatchObject({ module: SEMVER3, version: "v3.4.0", result: "timeout", missing: ["goproxy.cn"] });
    expect(wait.rounds).toBeGreaterThanOrEqual(3);
    expect(Object.keys(wait.mirrors)).toEqual(MIRROR_NAMES);
    expect(wait.mirrors["goproxy.cn"]).toMatchObject({ verdict: "not_found", diagnosis: { code: "not_yet_on_mirror" } });
    expect(wait.mirrors["goproxy.cn"]?.diagnosis.text).toContain("goproxy.cn answers 404");
    expect(probe).toBeNull();
  }, 60_000);

  it("--mirrors decides on the named mirrors only", async () => {
    const run = await mirrorlag(["wait", `${SEMVER3}@v3.4.0`, "--mirrors", "proxy.golang.org,proxy.golang.com.cn", "--timeout", "5s", "--interval", "500ms"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain("goproxy.cn");
  }, 60_000);

  it.each([
    [["--timeout", "5x"], "error: option '--timeout <duration>' argument '5x' is invalid. \"5x\" is not a duration: use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms"],
    [["--interval", "10"], "error: option '--interval <duration>' argument '10' is invalid. \"10\" is not a duration: missing unit"],
    [["--interval", "1ms"], 'error: option \'--interval <duration>\' argument \'1ms\' is invalid. "1ms" is shorter than 100ms'],
  ])("exits 2 on a bad duration %j", async (flags, message) => {
    const run = await mirrorlag(["wait", `${JWT5}@v5.3.1`, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  }, 60_000);

  it("exits 2 on a bad module path or version", async () => {
    const version = await mirrorlag(["wait", `${JWT5}@5.3.1`]);
    expect(version.code).toBe(2);
    expect(version.stderr).toContain(`mirrorlag: ${JWT5}@5.3.1: invalid version: not a semantic version (ask for a version such as v1.2.3)`);
    const path = await mirrorlag(["wait", "not a path@v1.0.0"]);
    expect(path.code).toBe(2);
    expect(path.stderr).toContain("mirrorlag: malformed module path");
  }, 60_000);

  it("exits 3 when no mirror ever answers", async () => {
    const port = await freePort();
    const run = await mirrorlag(["wait", `${JWT5}@v5.3.1`, "--timeout", "1s", "--interval", "500ms"], { env: { MIRRORS: `dead=http://127.0.0.1:${port}`, REFERENCE_MIRROR: "dead", SUMDB: "off" } });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain("wait: no selected mirror could be reached");
  }, 60_000);
});

describe("--server (against the API stub over the real service)", () => {
  // The server's configuration decides; the CLI's own MIRRORS must not matter.
  const noLocalConfig = { MIRRORS: "nonsense" };

  it("resolve: exit 0 and the server's resolution, with its permalink", async () => {
    write("go.mod", GOMOD_OK);
    const run = await mirrorlag(["resolve", "go.mod", "--server", stub.url], { env: noLocalConfig });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`resolve: 3 requirements on ${stub.url.replace(/\./g, "\\.")} \\(resolution \\d+\\)`));
    expect(run.stderr).toContain("resolve: 3/3 probed");
    expect(run.stdout).toMatch(/^GOPROXY=http:\/\/127\.0\.0\.1:\d+/m);
    expect(run.stdout).toMatch(new RegExp(`^permalink: ${stub.url.replace(/\./g, "\\.")}/resolve\\?id=\\d+$`, "m"));
  }, 60_000);

  it("resolve: exit 1 with the unresolvable, and --json is the API's resolution", async () => {
    write("unknown.mod", GOMOD_UNKNOWN);
    const run = await mirrorlag(["resolve", "unknown.mod", "--server", stub.url, "--json"], { env: noLocalConfig });
    expect(run.code, run.stderr).toBe(1);
    const { resolution } = JSON.parse(run.stdout) as { resolution: ResolutionDto };
    expect(resolution).toMatchObject({ status: "done", total: 2, unresolvable: [{ module: TESTIFY_TYPO, version: "v1.8.4", code: "no_such_module", goprivate: "github.com/stetchr" }] });
  }, 60_000);

  it("resolve: the server's 400 for a bad go.mod is exit 2 with its message", async () => {
    write("bad.mod", GOMOD_SYNTAX);
    const run = await mirrorlag(["resolve", "bad.mod", "--server", stub.url], { env: noLocalConfig });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`mirrorlag: ${stub.url}: go.mod:3: usage: require module/path v1.2.3 (line 3: "require foo")`);
  }, 60_000);

  it("resolve --mirrors: the cells, totals and GOPROXY of the named mirrors only", async () => {
    write("go.mod", GOMOD_OK);
    const onlyCn = await mirrorlag(["resolve", "go.mod", "--server", stub.url, "--mirrors", "goproxy.cn", "--json"], { env: noLocalConfig });
    expect(onlyCn.code, onlyCn.stderr).toBe(1);
    const narrowed = (JSON.parse(onlyCn.stdout) as { resolution: ResolutionDto }).resolution;
    expect(Object.keys(narrowed.mirrors)).toEqual(["goproxy.cn"]);
    expect(narrowed.requirements.every((r) => Object.keys(r.mirrors).every((m) => m === "goproxy.cn"))).toBe(true);
    expect(narrowed.advice.goproxy).toBeNull();
    expect(narrowed.unresolvable).toEqual([{ module: SEMVER3, version: "v3.4.0", code: "not_yet_on_mirror", goprivate: null }]);

    const two = await mirrorlag(["resolve", "go.mod", "--server", stub.url, "--mirrors", "goproxy.cn,proxy.golang.com.cn", "--json"], { env: noLocalConfig });
    expect(two.code, two.stderr).toBe(0);
    const { resolution } = JSON.parse(two.stdout) as { resolution: ResolutionDto };
    expect(Object.keys(resolution.mirrors)).toEqual(["goproxy.cn", "proxy.golang.com.cn"]);
    // The advice names only those two mirrors' URLs (the server's own advice may lead with proxy.golang.org).
    const urls = sim.mirrors.filter((m) => m.name !== "proxy.golang.org").map((m) => m.baseUrl);
    const entries = (resolution.advice.goproxy ?? "").split(/[,|]/).filter((e) => e !== "direct");
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(urls).toContain(entry);
    expect(resolution.advice.reason).toContain("using only goproxy.cn, proxy.golang.com.cn");

    const unknown = await mirrorlag(["resolve", "go.mod", "--server", stub.url, "--mirrors", "nope"], { env: noLocalConfig });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`mirrorlag: --mirrors: unknown mirror nope (mirrors of ${stub.url}: proxy.golang.org, goproxy.cn, proxy.golang.com.cn)`);
  }, 60_000);

  it("wait: exit 0 when all serve it, 1 on timeout naming who is missing, with the server's probe in --json", async () => {
    const served = await mirrorlag(["wait", `${JWT5}@v5.3.1`, "--server", stub.url, "--timeout", "5s", "--interval", "500ms", "--json"], { env: noLocalConfig });
    expect(served.code, served.stderr).toBe(0);
    const parsed = JSON.parse(served.stdout) as WaitJson;
    expect(parsed.wait).toMatchObject({ result: "served", missing: [], rounds: 1 });
    expect(parsed.probe).toMatchObject({ module: JWT5, version: "v5.3.1", mirrorOrder: MIRROR_NAMES });

    const late = await mirrorlag(["wait", `${SEMVER3}@v3.4.0`, "--server", stub.url, "--timeout", "2s", "--interval", "500ms"], { env: noLocalConfig });
    expect(late.code, late.stderr).toBe(1);
    expect(late.stderr).toMatch(/wait: timed out after \ds; still missing: goproxy\.cn \(not_yet_on_mirror\)/);
    expect(late.stdout).toContain("result: timed out; still missing on goproxy.cn (not_yet_on_mirror) (exit 1)");
  }, 60_000);

  it("wait: the server's 400 is exit 2", async () => {
    const run = await mirrorlag(["wait", `${JWT5}@v5.3.1`, "--server", stub.url, "--mirrors", "nope"], { env: noLocalConfig });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`mirrorlag: --mirrors: unknown mirror nope (mirrors of ${stub.url}: proxy.golang.org, goproxy.cn, proxy.golang.com.cn)`);
  }, 60_000);

  it("exits 3 when the server cannot be reached, and on an answer that is not the API's", async () => {
    const port = await freePort();
    write("go.mod", GOMOD_OK);
    const resolve = await mirrorlag(["resolve", "go.mod", "--server", `http://127.0.0.1:${port}`], { env: noLocalConfig });
    expect(resolve.code).toBe(3);
    expect(resolve.stderr).toContain(`mirrorlag: cannot reach http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
    const wait = await mirrorlag(["wait", `${JWT5}@v5.3.1`, "--server", `http://127.0.0.1:${port}`, "--timeout", "2s"], { env: noLocalConfig });
    expect(wait.code).toBe(3);
    expect(wait.stderr).toContain(`mirrorlag: cannot reach http://127.0.0.1:${port}`);
    // A mirror is an HTTP server, but not this API.
    const notApi = await mirrorlag(["wait", `${JWT5}@v5.3.1`, "--server", sim.mirrors[0]?.baseUrl ?? ""], { env: noLocalConfig });
    expect(notApi.code).toBe(3);
    expect(notApi.stderr).toContain("without the API's JSON");
  }, 60_000);
});
