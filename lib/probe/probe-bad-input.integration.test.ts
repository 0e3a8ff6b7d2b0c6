import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSimClock, createZip, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { createTestService } from "@/e2e/support/test-service";
import { diagnose, doctorInputOf, toProbeDto } from "@/lib/doctor";
import type { Diagnosis, ProbeDto } from "@/lib/doctor";
import { hashGoMod, hashZip } from "@/lib/goproxy";
import type { Service } from "@/lib/server";
import type { StoredProbe } from "@/lib/store";

/*
 * A mirror that serves bad content, one case per test, while two honest mirrors answer normally. "bad" is a small
 * front server before a simulated mirror: it forwards everything (so the sim's faults apply) except the answers a
 * test crafts byte for byte (a 2 GiB zip, a zip with "../" names, a sumdb record of another module...). Each case
 * checks the exact outcome and message stored for "bad", the diagnosis (never served/agrees for bad content), that
 * "ref" and "good" are unaffected, and that nothing wrong is stored: no zip bytes in any table, a small probe row,
 * and no zip left in the temporary directory.
 */

const T0 = new Date("2026-03-01T10:00:00Z");
const V = "v1.0.0";
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** In every zip the mirrors serve (and in one junk tree note): found in the database, mirror bytes were stored. */
const MARKER = "ZIP-CONTENT-MUST-NOT-BE-STORED";
/** A probe's evidence is a few KiB of steps and messages; a body leaking into it would be far larger. */
const MAX_EVIDENCE_CHARS = 24 * 1024;
const ZIP_TIMEOUT_MS = 500;

/** The test service's database handle (lib/ may not import db/: the type comes through the test support). */
type Db = ReturnType<typeof createTestService>["db"];

const SLUGS = [
  "zip-announced-2gib",
  "zip-streamed-2gib",
  "zip-declares-2gib",
  "zip-dotdot",
  "zip-outside-prefix",
  "zip-bomb",
  "zip-truncated",
  "zip-no-directory",
  "zip-html",
  "zip-slow",
  "zip-different-bytes",
  "sumdb-forged",
  "sumdb-bad-proof",
  "sumdb-garbled",
  "sumdb-other-record",
  "sumdb-huge-note",
  "sumdb-supported-500",
  "sumdb-unreachable",
  "sumdb-unreachable-no-proxy",
  "info-other-version",
  "info-malformed",
  "gomod-not-utf8",
  "redirected",
] as const;
type Slug = (typeof SLUGS)[number];

const mod = (slug: Slug) => `example.com/badinput/${slug}`;
const gomodOf = (slug: Slug) => `module ${mod(slug)}\n\ngo 1.21\n`;
const filePath = (slug: Slug, ext: "info" | "mod" | "zip") => `/${mod(slug)}/@v/${V}.${ext}`;

function scenario(): Scenario {
  return {
    start: T0,
    reference: "ref",
    sumdb: {},
    modules: SLUGS.map((slug) => ({
      path: mod(slug),
      versions: [{ version: V, time: "2026-02-01T00:00:00Z", gomod: gomodOf(slug), files: { "bad.go": `package bad // ${MARKER}\n` } }],
    })),
    mirrors: [
      { name: "ref", style: "proxy.golang.org" },
      { name: "good", style: "goproxy" },
      { name: "bad", style: "goproxy" },
    ],
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The "bad" mirror: crafted answers by raw request path, else the simulated mirror behind it. */
async function startFront(upstreamBase: string): Promise<{
  url: string;
  routes: Map<string, Handler>;
  forward: (req: IncomingMessage, res: ServerResponse, path?: string) => void;
  rewrite: (edit: (body: Buffer) => Buffer) => Handler;
  close: () => Promise<void>;
}> {
  const upstream = new URL(upstreamBase);
  const routes = new Map<string, Handler>();
  const forward = (req: IncomingMessage, res: ServerResponse, path = req.url ?? "/") => {
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on("error", () => res.destroy());
    res.on("close", () => out.destroy());
    req.pipe(out);
  };
  /** The upstream's answer to the same request, changed by `edit` (a crafted lie built on a true answer). */
  const rewrite =
    (edit: (body: Buffer) => Buffer): Handler =>
    (req, res) => {
      const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: "GET", path: req.url, headers: req.headers }, (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => {
          const body = edit(Buffer.concat(chunks));
          res.writeHead(up.statusCode ?? 502, { "content-type": up.headers["content-type"] ?? "text/plain", "content-length": String(body.length) });
          res.end(body);
        });
      });
      out.on("error", () => res.destroy());
      out.end();
    };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const handler = routes.get((req.url ?? "/").split("?")[0] ?? "/");
    if (handler) handler(req, res);
    else forward(req, res);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    forward,
    rewrite,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: the checksum database that refuses connections. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sets the uncompressed size one entry declares, in its central-directory and local headers. */
function declareSize(zip: Buffer, entryName: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const eocd = out.length - 22;
  if (out.readUInt32LE(eocd) !== 0x06054b50) throw new Error("test zip has a comment or is zip64");
  let at = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < out.readUInt16LE(eocd + 10); i++) {
    const nameLength = out.readUInt16LE(at + 28);
    const name = out.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    if (name === entryName) {
      out.writeUInt32LE(size, at + 24);
      out.writeUInt32LE(size, out.readUInt32LE(at + 42) + 22);
      return out;
    }
    at += 46 + nameLength + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  throw new Error(`no entry ${entryName}`);
}

const serveBytes =
  (body: Buffer, contentType: string): Handler =>
  (_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": String(body.length) });
    res.end(body);
  };

let sim: MirrorSim;
let front: Awaited<ReturnType<typeof startFront>>;
let zipTmp: string;
let savedTmpdir: string | undefined;
const services: { service: Service; db: Db }[] = [];
let main: { service: Service; db: Db };
let slowZip: { service: Service; db: Db };
let unreachable: { service: Service; db: Db };

beforeAll(async () => {
  // The client streams zips under os.tmpdir(), which follows TMPDIR: a directory of our own shows exactly what a
  // probe leaves behind, whatever other test runs on this machine do in the shared one.
  zipTmp = mkdtempSync(join(tmpdir(), "mirrorlag-badinput-"));
  savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = zipTmp;
  expect(tmpdir()).toBe(zipTmp);

  const clock = createSimClock(T0);
  sim = await startMirrorSim(scenario(), { clock });
  const sumdb = sim.sumdb;
  const upstream = sim.mirrors.find((m) => m.name === "bad");
  if (!sumdb || !upstream) throw new Error("the scenario has a checksum database and a bad mirror");
  front = await startFront(upstream.baseUrl);
  const mirrorsEnv = sim.mirrors.map((m) => `${m.name}=${m.name === "bad" ? front.url : m.baseUrl}`).join(",");
  const make = (env: Record<string, string>) => {
    const { service, db } = createTestService({ mirrorsEnv, reference: "ref", clock: clock.now, env: { SUMDB: sumdb.gosumdb, REQUEST_TIMEOUT_MS: "2000", ...env } });
    services.push({ service, db });
    return { service, db };
  };
  main = make({});
  slowZip = make({ ZIP_TIMEOUT_MS: String(ZIP_TIMEOUT_MS) });
  unreachable = make({ SUMDB: `${sumdb.verifierKey} http://127.0.0.1:${await closedPort()}` });
});

afterEach(() => {
  sim.clearFaults();
  front.routes.clear();
  for (const m of sim.mirrors) sim.setBehaviour(m.name, { sumdb: "proxy" });
});

afterAll(async () => {
  for (const { service } of services) {
    await service.prober.stop();
    await service.checker.stop();
  }
  await front?.close();
  await sim?.close();
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  if (zipTmp) rmSync(zipTmp, { recursive: true, force: true });
});

function countProbes(db: Db): number {
  return (db.$client.prepare("select count(*) as n from probes").get() as { n: number }).n;
}

/** Nothing wrong stored: no zip bytes in any table, a bounded evidence row, a small database, no zip left on disk. */
function expectNothingWrongStored(db: Db, probe: StoredProbe): void {
  const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
  for (const { name } of tables) {
    for (const row of db.$client.prepare(`select * from "${name}"`).all() as Record<string, unknown>[]) {
      for (const value of Object.values(row)) {
        const text = Buffer.isBuffer(value) ? value.toString("latin1") : String(value);
        expect(text.includes(MARKER), `mirror-served content (a zip, a note) in table ${name}`).toBe(false);
        expect(text.includes("PK\u0003\u0004"), `a zip header in table ${name}`).toBe(false);
      }
    }
  }
  const evidence = (db.$client.prepare("select evidence from probes where id = ?").get(probe.id) as { evidence: string }).evidence;
  expect(evidence.length).toBeLessThan(MAX_EVIDENCE_CHARS);
  const pages = db.$client.pragma("page_count", { simple: true }) as number;
  const pageSize = db.$client.pragma("page_size", { simple: true }) as number;
  expect(pages * pageSize).toBeLessThan(4 * MiB);
  expect(readdirSync(zipTmp)).toEqual([]);
}

type Probed = { probe: StoredProbe; dto: ProbeDto; diagnosis: (mirror: string) => Diagnosis; elapsedMs: number };

/** Probes slug's module on the given service; the record is read back from the store, as a permalink would. */
async function probe(slug: Slug, on: { service: Service; db: Db } = main): Promise<Probed> {
  const before = countProbes(on.db);
  const started = performance.now();
  // Awaited directly: a rejection fails the test, which is the "a failing mirror never crashes a probe" assertion.
  const outcome = await on.service.runProbe(mod(slug), V, true);
  const elapsedMs = performance.now() - started;
  if (!outcome.ok) throw new Error(outcome.message);
  expect(outcome.shared).toBeNull();
  expect(countProbes(on.db)).toBe(before + 1);
  const stored = await on.service.findProbe(outcome.probe.id);
  if (!stored) throw new Error("probe not stored");
  expect(stored).toEqual(outcome.probe);
  expectNothingWrongStored(on.db, stored);
  const dto = toProbeDto(stored, "en");
  // The DTO carries each diagnosis's code and sentence; its facts come from the same derivation.
  const diagnoses = diagnose(doctorInputOf(stored));
  return {
    probe: stored,
    dto,
    elapsedMs,
    diagnosis: (mirror) => {
      const d = diagnoses[mirror];
      if (!d) throw new Error(`no diagnosis for ${mirror}`);
      return d;
    },
  };
}

function mirrorOf(p: Probed, name: string) {
  const m = p.dto.mirrors[name];
  if (!m) throw new Error(`no mirror ${name}`);
  return m;
}

/** The honest mirrors served the origin's bytes, verified through their own checksum-database proxy. */
function expectHonest(p: Probed, slug: Slug, mirrors: string[] = ["ref", "good"]): void {
  const zipH1 = hashZip(sim.zipFor(mod(slug), V));
  const modH1 = hashGoMod(gomodOf(slug));
  for (const name of mirrors) {
    const m = mirrorOf(p, name);
    expect(m.info, name).toMatchObject({ outcome: "ok", status: 200, message: null, time: "2026-02-01T00:00:00Z" });
    expect(m.mod, name).toMatchObject({ outcome: "ok", status: 200, h1: modH1, modulePath: mod(slug) });
    expect(m.zip, name).toMatchObject({ outcome: "ok", status: 200, h1: zipH1, bytes: sim.zipFor(mod(slug), V).length });
    expect(m.sumdb, name).toMatchObject({ outcome: "ok", verified: true, failure: null, zipH1, modH1 });
    expect(m.diagnosis.code, `${name}: ${m.diagnosis.text}`).toBe("served");
  }
}

/** "bad" served .info and .mod like the origin; only the zip is in question. */
function expectBadZip(p: Probed, zip: { status: number | null; reason: string; message: string | RegExp }): void {
  const bad = mirrorOf(p, "bad");
  expect(bad.info.outcome).toBe("ok");
  expect(bad.mod.outcome).toBe("ok");
  const { message, ...rest } = zip;
  expect(bad.zip).toMatchObject({ outcome: "error", h1: null, bytes: null, ...rest });
  if (typeof message === "string") expect(bad.zip.message).toBe(message);
  else expect(bad.zip.message).toMatch(message);
  const d = p.diagnosis("bad");
  expect(d).toMatchObject({ code: "mirror_error", verdict: "error", facts: { step: "zip", status: zip.status, reason: zip.reason } });
  expect(bad.verdict).toBe("error");
  expect(bad.diagnosis.text).toContain(".zip");
}

/** The diagnosis sentence quotes the recorded message (its first line, as diagnosis-text shortens it). */
function expectTextQuotes(p: Probed, mirror: string, message: string | null): void {
  const line = (message ?? "").split("\n")[0] ?? "";
  expect(mirrorOf(p, mirror).diagnosis.text).toContain(line.length > 160 ? line.slice(0, 157) : line);
}

describe("a mirror serving a bad zip: refused with the reason, nothing of it stored", () => {
  it("a 2 GiB zip announced by Content-Length is refused before any of it is read", async () => {
    let closed = false;
    front.routes.set(filePath("zip-announced-2gib", "zip"), (_req, res) => {
      res.writeHead(200, { "content-type": "application/zip", "content-length": String(2 * GiB) });
      res.flushHeaders();
      res.on("close", () => (closed = true));
    });
    const p = await probe("zip-announced-2gib");
    expectBadZip(p, { status: 200, reason: "too_large", message: "response larger than 500 MiB (Content-Length: 2147483648)" });
    expect(mirrorOf(p, "bad").zip.latencyMs).toBeLessThan(1000);
    expect(mirrorOf(p, "bad").diagnosis.text).toContain("500 MiB");
    // The client hung up instead of reading on.
    await vi.waitFor(() => expect(closed).toBe(true), { timeout: 1000 });
    expectHonest(p, "zip-announced-2gib");
  });

  it("a 2 GiB zip streamed without Content-Length is cut at the 500 MiB cap, its temporary file removed", async () => {
    let sent = 0;
    let sawTempFile = false;
    const chunk = Buffer.alloc(MiB);
    front.routes.set(filePath("zip-streamed-2gib", "zip"), (_req, res) => {
      res.writeHead(200, { "content-type": "application/zip" });
      const pump = () => {
        while (!res.destroyed && sent < 2 * GiB) {
          // Proves the directory inspected afterwards is the one the client writes to.
          if (!sawTempFile && sent >= 64 * MiB) sawTempFile = readdirSync(zipTmp).some((n) => n.startsWith("mirrorlag-zip-"));
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    const p = await probe("zip-streamed-2gib");
    expectBadZip(p, { status: 200, reason: "too_large", message: "response larger than 500 MiB" });
    expect(sawTempFile).toBe(true);
    // Read up to the cap, then the connection was dropped: far from the 2 GiB on offer.
    expect(sent).toBeGreaterThan(500 * MiB);
    expect(sent).toBeLessThan(600 * MiB);
    expectHonest(p, "zip-streamed-2gib");
  }, 60_000);

  it("a small zip whose directory declares 2 GiB of contents is refused without inflating it", async () => {
    const slug = "zip-declares-2gib";
    const zip = createZip([
      { name: `${mod(slug)}@${V}/go.mod`, data: gomodOf(slug) },
      { name: `${mod(slug)}@${V}/big.bin`, data: `${MARKER}\n` },
    ]);
    front.routes.set(filePath(slug, "zip"), serveBytes(declareSize(zip, `${mod(slug)}@${V}/big.bin`, 2 * GiB), "application/zip"));
    const p = await probe(slug);
    expectBadZip(p, { status: 200, reason: "malformed", message: "not a valid module zip: total uncompressed size of module contents too large (max size is 524288000 bytes)" });
    expectHonest(p, slug);
  });

  it("a zip with a ../ name", async () => {
    const slug = "zip-dotdot";
    const zip = createZip([
      { name: `${mod(slug)}@${V}/go.mod`, data: gomodOf(slug) },
      { name: `${mod(slug)}@${V}/../evil.go`, data: `package evil // ${MARKER}\n` },
    ]);
    front.routes.set(filePath(slug, "zip"), serveBytes(zip, "application/zip"));
    const p = await probe(slug);
    expectBadZip(p, { status: 200, reason: "malformed", message: `not a valid module zip: ${mod(slug)}@${V}/../evil.go: malformed file path "../evil.go": invalid path element ".."` });
    expectTextQuotes(p, "bad", mirrorOf(p, "bad").zip.message);
    expectHonest(p, slug);
  });

  it("a zip with a name outside the module@version/ prefix", async () => {
    const slug = "zip-outside-prefix";
    const zip = createZip([
      { name: `${mod(slug)}@${V}/go.mod`, data: gomodOf(slug) },
      { name: `example.com/other@${V}/evil.go`, data: `package evil // ${MARKER}\n` },
    ]);
    front.routes.set(filePath(slug, "zip"), serveBytes(zip, "application/zip"));
    const p = await probe(slug);
    expectBadZip(p, { status: 200, reason: "malformed", message: `not a valid module zip: example.com/other@${V}/evil.go: path does not have prefix "${mod(slug)}@${V}/"` });
    expectHonest(p, slug);
  });

  it("a zip bomb: an entry inflating past the size it declares is stopped there", async () => {
    const slug = "zip-bomb";
    const name = `${mod(slug)}@${V}/bomb.bin`;
    // 32 MiB of one byte deflates to ~32 KiB; the header claims 1 KiB.
    const zip = createZip([
      { name: `${mod(slug)}@${V}/go.mod`, data: gomodOf(slug) },
      { name, data: Buffer.concat([Buffer.from(MARKER), Buffer.alloc(32 * MiB, 0x41)]) },
    ]);
    expect(zip.length).toBeLessThan(MiB);
    front.routes.set(filePath(slug, "zip"), serveBytes(declareSize(zip, name, 1024), "application/zip"));
    const p = await probe(slug);
    expectBadZip(p, { status: 200, reason: "malformed", message: `not a valid module zip: zip: entry "${name}" has more bytes than its header says (1024)` });
    expectHonest(p, slug);
  });

  it("a zip cut off mid-body (full Content-Length, half the bytes, then the connection closes)", async () => {
    const slug = "zip-truncated";
    const zip = sim.zipFor(mod(slug), V);
    const keep = Math.floor(zip.length / 2);
    front.routes.set(filePath(slug, "zip"), (req, res) => {
      res.writeHead(200, { "content-type": "application/zip", "content-length": String(zip.length) });
      res.write(zip.subarray(0, keep), () => req.socket.destroy());
    });
    const p = await probe(slug);
    // How many of the kept bytes reach the reader is a race: undici drops chunks still queued in
    // the body stream when the socket errors (CI once saw 0 of 463), so the count may be anything up to `keep`.
    expectBadZip(p, { status: 200, reason: "network", message: new RegExp(`^body truncated after \\d+ of ${zip.length} bytes: connection closed by the server \\(UND_ERR_SOCKET\\)$`) });
    const seen = Number(/after (\d+) of/.exec(mirrorOf(p, "bad").zip.message ?? "")?.[1] ?? Number.NaN);
    expect(seen).toBeLessThanOrEqual(keep);
    expectHonest(p, slug);
  });

  it("a zip served whole but missing its central directory", async () => {
    const slug = "zip-no-directory";
    const zip = sim.zipFor(mod(slug), V);
    front.routes.set(filePath(slug, "zip"), serveBytes(zip.subarray(0, zip.length - 22), "application/zip"));
    const p = await probe(slug);
    expectBadZip(p, { status: 200, reason: "malformed", message: "not a valid module zip: zip: not a valid zip file (no end of central directory)" });
    expectHonest(p, slug);
  });

  it("an HTML page served as the zip with 200", async () => {
    const slug = "zip-html";
    sim.addFault("bad", { module: mod(slug), version: V, kinds: ["zip"], effect: { type: "html200" } });
    const p = await probe(slug);
    expectBadZip(p, { status: 200, reason: "malformed", message: "expected a zip but got an HTML page" });
    expectTextQuotes(p, "bad", "expected a zip but got an HTML page");
    expectHonest(p, slug);
  });

  it("a zip slower than ZIP_TIMEOUT_MS times out on its own clock, not the request timeout", async () => {
    const slug = "zip-slow";
    const zip = sim.zipFor(mod(slug), V);
    front.routes.set(filePath(slug, "zip"), (_req, res) => {
      res.writeHead(200, { "content-type": "application/zip", "content-length": String(zip.length) });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent >= zip.length) return clearInterval(timer);
        res.write(zip.subarray(sent, sent + 1));
        sent += 1;
      }, 50);
      res.on("close", () => clearInterval(timer));
    });
    const p = await probe(slug, slowZip);
    expectBadZip(p, { status: 200, reason: "timeout", message: new RegExp(`^timed out after ${ZIP_TIMEOUT_MS} ms reading the body \\(\\d+ bytes received\\)$`) });
    // REQUEST_TIMEOUT_MS is 2000 here: the zip's own deadline cut it.
    expect(mirrorOf(p, "bad").zip.latencyMs).toBeLessThan(1500);
    expect(mirrorOf(p, "bad").diagnosis.text).toContain("timed out");
    expectHonest(p, slug);
  });

  it("a zip with different bytes than the origin's: hash_mismatch against the verified record", async () => {
    const slug = "zip-different-bytes";
    sim.addFault("bad", { module: mod(slug), version: V, kinds: ["zip"], effect: { type: "differentBytes" } });
    const p = await probe(slug);
    const bad = mirrorOf(p, "bad");
    const recorded = hashZip(sim.zipFor(mod(slug), V));
    expect(bad.zip.outcome).toBe("ok");
    expect(bad.zip.h1).not.toBe(recorded);
    expect(p.diagnosis("bad")).toEqual({
      code: "hash_mismatch",
      verdict: "mismatch",
      facts: { mirror: "bad", module: mod(slug), version: V, file: "zip", downloaded: bad.zip.h1, recorded, checksumDb: "sum.mirror-sim.test", recordSource: "direct" },
    });
    expectHonest(p, slug);
  });
});

describe("a mirror whose checksum-database proxy lies: never verified, the reason recorded", () => {
  /** "bad" served the origin's files; its lookup failed to verify with `failure` and `message`. */
  function expectUnverifiedLookup(p: Probed, failure: string, message: string | RegExp): void {
    const bad = mirrorOf(p, "bad");
    expect(bad.zip).toMatchObject({ outcome: "ok", h1: hashZip(sim.zipFor(p.dto.module, V)) });
    expect(bad.sumdb).toMatchObject({ outcome: "error", status: 200, reason: "malformed", verified: false, failure, treeSize: null, zipH1: null, modH1: null });
    expect(bad.sumdb.supported.outcome).toBe("ok");
    if (typeof message === "string") expect(bad.sumdb.message).toBe(message);
    else expect(bad.sumdb.message).toMatch(message);
    expect(p.diagnosis("bad")).toMatchObject({ code: "sumdb_unverified", verdict: "error", facts: { cause: "mirror_sumdb_broken", proxyFailure: "lookup_unverified", message: bad.sumdb.message } });
    // The configured database itself verified: the reference record is the direct one, untouched by the liar.
    expect(p.probe.sumdb).toMatchObject({ enabled: true, verified: true, source: "direct", zipH1: hashZip(sim.zipFor(p.dto.module, V)) });
  }

  it("a forged signature on the tree note", async () => {
    const slug = "sumdb-forged";
    sim.addFault("bad", { module: mod(slug), version: V, kinds: ["sumdb"], effect: { type: "sumdb", mode: "forged" } });
    const p = await probe(slug);
    const key = sim.sumdb?.verifierKey.split("+").slice(0, 2).join("+");
    expectUnverifiedLookup(p, "invalid_signature", new RegExp(`^reading tree note: invalid signature for key ${key?.replace(/[+.]/g, "\\$&")}(\n|$)`));
    expectTextQuotes(p, "bad", mirrorOf(p, "bad").sumdb.message);
    expectHonest(p, slug);
  });

  it("a wrong inclusion proof (tiles whose hashes do not lead to the signed tree)", async () => {
    const slug = "sumdb-bad-proof";
    // Tiles name no module: the fault covers every checksum-database request "bad" gets during this probe.
    sim.addFault("bad", { kinds: ["sumdb"], effect: { type: "sumdb", mode: "bad-proof" } });
    const p = await probe(slug);
    expectUnverifiedLookup(p, "inconsistent_tile", /^downloaded inconsistent tile/);
    expectHonest(p, slug);
  });

  it("a garbled lookup (an HTML page with 200)", async () => {
    const slug = "sumdb-garbled";
    sim.addFault("bad", { module: mod(slug), version: V, kinds: ["sumdb"], effect: { type: "sumdb", mode: "garbled" } });
    const p = await probe(slug);
    expectUnverifiedLookup(p, "malformed_record", "malformed record data");
    expectHonest(p, slug);
  });

  it("a signed, provable record of another module version", async () => {
    const slug = "sumdb-other-record";
    const other = mod("info-malformed");
    front.routes.set(`/sumdb/sum.mirror-sim.test/lookup/${mod(slug)}@${V}`, (req, res) => front.forward(req, res, `/sumdb/sum.mirror-sim.test/lookup/${other}@${V}`));
    const p = await probe(slug);
    expectUnverifiedLookup(p, "no_lines", new RegExp(`^the checksum database's record \\d+ holds no go.sum line for ${mod(slug)}@${V}$`));
    expectHonest(p, slug);
  });

  it("a lookup whose tree note is 1 MiB of junk: refused, and the junk is not stored", async () => {
    const slug = "sumdb-huge-note";
    front.routes.set(
      `/sumdb/sum.mirror-sim.test/lookup/${mod(slug)}@${V}`,
      front.rewrite((body) => {
        const text = body.toString("utf8");
        // The marker sits at the end: a short excerpt of the refused note may be kept as evidence, the bulk not.
        return Buffer.from(`${text.slice(0, text.indexOf("\n\n"))}\n\n${`${"x".repeat(1000)}\n`.repeat(1024)}${MARKER}\n`);
      }),
    );
    const p = await probe(slug);
    expectUnverifiedLookup(p, "malformed_note", /^reading tree note: malformed note(\n|$)/);
    expect(mirrorOf(p, "bad").sumdb.message?.length).toBeLessThan(2048);
    expectHonest(p, slug);
  });

  it("/supported answering 500", async () => {
    const slug = "sumdb-supported-500";
    sim.addFault("bad", { kinds: ["supported"], effect: { type: "status", status: 500 } });
    const p = await probe(slug);
    const bad = mirrorOf(p, "bad");
    expect(bad.sumdb.supported).toMatchObject({ outcome: "error", status: 500, reason: "http_status", message: "HTTP 500: 500 Internal Server Error" });
    expect(bad.sumdb).toMatchObject({ outcome: "skipped", message: "the mirror's checksum-database proxy failed", verified: false, zipH1: null, modH1: null });
    expect(p.diagnosis("bad")).toMatchObject({
      code: "sumdb_unverified",
      verdict: "error",
      facts: { cause: "mirror_sumdb_broken", proxyFailure: "supported_failed", message: "HTTP 500: 500 Internal Server Error" },
    });
    expectHonest(p, slug);
  });
});

describe("the configured checksum database unreachable", () => {
  const refused = "connection refused (ECONNREFUSED)";

  it("a mirror's proxied record that verifies stands in, and still catches a mirror's different bytes", async () => {
    const slug = "sumdb-unreachable";
    sim.addFault("bad", { module: mod(slug), version: V, kinds: ["zip"], effect: { type: "differentBytes" } });
    const p = await probe(slug, unreachable);
    const recorded = hashZip(sim.zipFor(mod(slug), V));
    expect(p.probe.sumdb).toMatchObject({ enabled: true, verified: true, source: "ref", zipH1: recorded, message: `sum.mirror-sim.test: ${refused}` });
    expect(p.probe.sumdb.direct).toMatchObject({ outcome: "error", status: null, reason: "network", message: refused });
    expect(p.diagnosis("bad")).toMatchObject({ code: "hash_mismatch", facts: { file: "zip", recorded, recordSource: "ref" } });
    expectHonest(p, slug);
  });

  it("with no mirror proxying it either: sumdb_unverified everywhere, nothing claims to be verified", async () => {
    const slug = "sumdb-unreachable-no-proxy";
    for (const m of sim.mirrors) sim.setBehaviour(m.name, { sumdb: "absent" });
    sim.addFault("bad", { module: mod(slug), version: V, kinds: ["zip"], effect: { type: "differentBytes" } });
    const p = await probe(slug, unreachable);
    expect(p.probe.sumdb).toMatchObject({ enabled: true, verified: false, source: null, zipH1: null, modH1: null, message: `sum.mirror-sim.test: ${refused}` });
    for (const name of ["ref", "good", "bad"]) {
      const m = mirrorOf(p, name);
      expect(m.sumdb, name).toMatchObject({ outcome: "skipped", verified: false, message: "the mirror does not proxy this checksum database" });
      expect(p.diagnosis(name), name).toMatchObject({ code: "sumdb_unverified", verdict: "ok", facts: { cause: "no_verified_record", message: `sum.mirror-sim.test: ${refused}` } });
    }
    // Unverified either way, but the different bytes still show against the reference mirror's.
    expect(p.diagnosis("bad")).toMatchObject({ facts: { sameBytesAsReference: false } });
    expect(p.diagnosis("good")).toMatchObject({ facts: { sameBytesAsReference: true } });
    for (const name of ["ref", "good"]) expect(mirrorOf(p, name).zip.h1).toBe(hashZip(sim.zipFor(mod(slug), V)));
  });
});

describe("a mirror serving a bad .info or go.mod", () => {
  function expectBadStep(p: Probed, step: "info" | "mod", message: string | RegExp): void {
    const bad = mirrorOf(p, "bad");
    expect(bad[step]).toMatchObject({ outcome: "error", status: 200, reason: "malformed" });
    if (typeof message === "string") expect(bad[step].message).toBe(message);
    else expect(bad[step].message).toMatch(message);
    expect(p.diagnosis("bad")).toMatchObject({ code: "mirror_error", verdict: "error", facts: { step, status: 200, reason: "malformed", message: bad[step].message } });
    expectTextQuotes(p, "bad", bad[step].message);
  }

  it("an .info for another version", async () => {
    const slug = "info-other-version";
    sim.addFault("bad", { module: mod(slug), version: V, kinds: ["info"], effect: { type: "malformedInfo", mode: "wrongVersion" } });
    const p = await probe(slug);
    expectBadStep(p, "info", `mirror returned info for version v0.0.0-not-this-one instead of requested version ${V}`);
    expect(mirrorOf(p, "bad").info.time).toBeNull();
    expectHonest(p, slug);
  });

  it("a malformed .info", async () => {
    const slug = "info-malformed";
    sim.addFault("bad", { module: mod(slug), version: V, kinds: ["info"], effect: { type: "malformedInfo", mode: "syntax" } });
    const p = await probe(slug);
    expectBadStep(p, "info", /^malformed \.info JSON: /);
    expectHonest(p, slug);
  });

  it("a go.mod that is not UTF-8", async () => {
    const slug = "gomod-not-utf8";
    const bytes = Buffer.concat([Buffer.from(`module ${mod(slug)}\n\n// `), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from("\n")]);
    front.routes.set(filePath(slug, "mod"), serveBytes(bytes, "text/plain; charset=utf-8"));
    const p = await probe(slug);
    expectBadStep(p, "mod", "go.mod is not valid UTF-8");
    expect(mirrorOf(p, "bad").mod).toMatchObject({ h1: null, modulePath: null });
    expectHonest(p, slug);
  });

  it("files answered after a redirect: served, and the evidence says by whom", async () => {
    const slug = "redirected";
    // Loopback to loopback: a mirror on a non-public address may redirect within it (the refusals are unit-tested).
    for (const ext of ["info", "mod", "zip"] as const) {
      front.routes.set(filePath(slug, ext), (_req, res) => {
        res.writeHead(302, { location: `/elsewhere${filePath(slug, ext)}` });
        res.end();
      });
      front.routes.set(`/elsewhere${filePath(slug, ext)}`, (req, res) => front.forward(req, res, filePath(slug, ext)));
    }
    const p = await probe(slug);
    const bad = mirrorOf(p, "bad");
    for (const ext of ["info", "mod", "zip"] as const) expect(bad[ext], ext).toMatchObject({ outcome: "ok", status: 200, finalUrl: `${front.url}/elsewhere${filePath(slug, ext)}` });
    expect(bad.diagnosis.code).toBe("served");
    expect(mirrorOf(p, "good").info.finalUrl).toBeUndefined();
    expectHonest(p, slug);
  });
});
