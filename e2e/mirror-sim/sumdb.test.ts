import { readFileSync } from "node:fs";
import { request } from "node:http";
import type { Socket } from "node:net";
import { connect } from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSimClock } from "./clock";
import { escapeGoPath } from "./go-rules";
import { startMirrorSim } from "./sim";
import type { MirrorSim } from "./sim";
import { DEFAULT_SUMDB_NAME, corruptTile, forgeSignedNote } from "./sumdb";
import { rawGet } from "./test-helpers";
import type { Scenario } from "./types";
import { SumdbError, createTileReader, hashGoMod, hashZip, parseTree, parseVerifierKey, tileHashReader, treeHash, verifyLookup } from "@/lib/goproxy";
import type { VerifiedLookup } from "@/lib/goproxy";

const T0 = new Date("2026-03-01T12:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const UPPER = "github.com/BurntSushi/toml";
const PLAIN = "golang.org/x/text";
/** The verifier key of the default name and seed: pinned so a change of either is deliberate. */
const DEFAULT_VERIFIER_KEY = "sum.mirror-sim.test+7507189b+AQjeAE7EDTK0luB4yGC5iDUbdP7MmGuqT1ZKy8H+jyP5";

function scenario(): Scenario {
  return {
    start: T0,
    sumdb: {},
    modules: [
      {
        path: UPPER,
        versions: [
          { version: "v1.3.2", time: at(-3000), gomod: `module ${UPPER}\n\ngo 1.16\n` },
          { version: "v1.4.0", time: at(-2000), gomod: `module ${UPPER}\n\ngo 1.18\n` },
        ],
      },
      {
        path: PLAIN,
        versions: [
          { version: "v0.14.0", time: at(-1000) },
          { version: "v0.15.0", time: at(-10), publishedAt: at(30) },
        ],
      },
      { path: "github.com/stetchr/testify", origin: "missing", versions: [] },
      { path: "example.com/big", versions: [{ version: "v2.0.0", time: at(-100), gomod: "module example.com/big\n", invalid: true }] },
    ],
    mirrors: [
      { name: "proxy", style: "proxy.golang.org" },
      { name: "absent", style: "goproxy", sumdb: "absent" },
      { name: "garbled", style: "goproxy", sumdb: "garbled" },
      { name: "forged", sumdb: "forged" },
      { name: "bad-proof", sumdb: "bad-proof" },
    ],
  };
}

let sim: MirrorSim;
const db = () => {
  if (!sim.sumdb) throw new Error("the scenario has a checksum database");
  return sim.sumdb;
};
const base = (name: string) => sim.mirrors.find((m) => m.name === name)?.baseUrl ?? "";
/** A mirror's proxy of the database, or the database itself. */
const prefixOf = (mirror?: string) => (mirror === undefined ? db().url : `${base(mirror)}/sumdb/${db().name}`);
const lookupPath = (module: string, version: string) => `/lookup/${escapeGoPath(module)}@${escapeGoPath(version)}`;

async function fetchBytes(url: string): Promise<Uint8Array | null> {
  const res = await fetch(url);
  return res.status === 200 ? new Uint8Array(await res.arrayBuffer()) : null;
}

/** lib/goproxy's verification of M@V, reading the lookup and its tiles through `mirror` (or directly). */
async function verify(module: string, version: string, mirror?: string): Promise<VerifiedLookup> {
  const prefix = prefixOf(mirror);
  const res = await fetch(prefix + lookupPath(module, version));
  if (res.status !== 200) throw new Error(`lookup ${res.status}: ${await res.text()}`);
  const body = new Uint8Array(await res.arrayBuffer());
  const tiles = createTileReader((path) => fetchBytes(`${prefix}/${path}`));
  return verifyLookup({ module, version, body, verifier: parseVerifierKey(db().verifierKey), tiles });
}

async function failureCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "verified";
  } catch (err) {
    if (err instanceof SumdbError) return err.code;
    throw err;
  }
}

beforeAll(async () => {
  sim = await startMirrorSim(scenario(), { clock: createSimClock(T0) });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.clearFaults();
  sim.clearLog();
});

describe("the simulated checksum database", () => {
  it("has a stable name and key from the default seed; another seed gives another key", async () => {
    expect(db().name).toBe(DEFAULT_SUMDB_NAME);
    expect(db().verifierKey).toBe(DEFAULT_VERIFIER_KEY);
    expect(db().gosumdb).toBe(`${DEFAULT_VERIFIER_KEY} ${db().url}`);
    const other = await startMirrorSim({ modules: [], mirrors: [], sumdb: { name: "sum2.mirror-sim.test", seed: "another" } });
    try {
      expect(other.sumdb?.verifierKey.startsWith("sum2.mirror-sim.test+")).toBe(true);
      expect(parseVerifierKey(other.sumdb?.verifierKey ?? "").keyHash).not.toBe(parseVerifierKey(DEFAULT_VERIFIER_KEY).keyHash);
    } finally {
      await other.close();
    }
    const none = await startMirrorSim({ modules: [], mirrors: [{ name: "m" }] });
    try {
      expect(none.sumdb).toBeUndefined();
      expect((await rawGet(`${none.mirrors[0]?.baseUrl ?? ""}/sumdb/${DEFAULT_SUMDB_NAME}/supported`)).status).toBe(404);
    } finally {
      await none.close();
    }
  });

  it("records the origin's h1 of every published version and proves them, directly and through an honest proxy", async () => {
    for (const mirror of [undefined, "proxy"]) {
      for (const [module, version] of [
        [UPPER, "v1.3.2"],
        [UPPER, "v1.4.0"],
        [PLAIN, "v0.14.0"],
      ] as const) {
        const v = await verify(module, version, mirror);
        expect(v.zipH1).toBe(hashZip(sim.zipFor(module, version)));
        expect(v.modH1).toBe(hashGoMod(sim.goModFor(module, version)));
        expect(v.tree.n).toBe(3);
      }
    }
    // Oldest publication first, whatever order the lookups came in.
    expect((await verify(PLAIN, "v0.14.0")).id).toBe(2);
    expect((await verify(UPPER, "v1.3.2")).id).toBe(0);
  });

  it("logs lookups with module and version, on the database (by its name) and on the mirror", async () => {
    await verify(UPPER, "v1.4.0");
    await verify(UPPER, "v1.4.0", "proxy");
    const direct = sim.log(db().name);
    expect(direct.map((e) => [e.kind, e.module ?? null, e.version ?? null, e.status])).toEqual([
      ["sumdb", UPPER, "v1.4.0", 200],
      ["sumdb", null, null, 200],
    ]);
    expect(direct[0]?.path).toBe("/lookup/github.com/!burnt!sushi/toml@v1.4.0");
    expect(sim.log("proxy").map((e) => e.kind)).toEqual(["sumdb", "sumdb"]);
    expect(sim.log().map((e) => e.mirror)).toEqual([db().name, db().name, "proxy", "proxy"]);
    sim.clearLog(db().name);
    expect(sim.log().map((e) => e.mirror)).toEqual(["proxy", "proxy"]);
  });

  it("answers 404 with sum.golang.org's text for what the origin does not have", async () => {
    const cases: [string, string, RegExp][] = [
      [PLAIN, "v9.9.9", /^not found: golang\.org\/x\/text@v9\.9\.9: invalid version: unknown revision v9\.9\.9$/],
      ["github.com/stetchr/testify", "v1.8.4", /^not found: github\.com\/stetchr\/testify@v1\.8\.4: invalid version: git ls-remote -q --end-of-options .*terminal prompts disabled/s],
      ["example.com/big", "v2.0.0", /^not found: example\.com\/big@v2\.0\.0: invalid version: module contains a go\.mod file, so module path must match major version \("example\.com\/big\/v2"\)$/],
    ];
    for (const [module, version, text] of cases) {
      for (const prefix of [prefixOf(), prefixOf("proxy")]) {
        const res = await rawGet(prefix + lookupPath(module, version));
        expect(res.status).toBe(404);
        expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
        expect(res.text).toMatch(text);
      }
    }
  });

  it("learns a version when the origin publishes it; the grown tree still contains the old one", async () => {
    sim.clock.set(at(29));
    expect((await rawGet(prefixOf() + lookupPath(PLAIN, "v0.15.0"))).status).toBe(404);
    const before = parseTree((await (await fetch(`${prefixOf()}/latest`)).text()).split("\n\n")[0] + "\n");
    sim.clock.set(at(30));
    const after = await verify(PLAIN, "v0.15.0");
    expect(after.tree.n).toBe(before.n + 1);
    // Consistency: the old tree's hash, recomputed from tiles the new tree authenticates.
    const tiles = createTileReader((path) => fetchBytes(`${prefixOf()}/${path}`));
    const old = await treeHash(before.n, tileHashReader(after.tree, tiles));
    expect(Buffer.from(old).equals(Buffer.from(before.hash))).toBe(true);
    sim.clock.set(T0);
    // Records are never taken back: a clock set back still finds it.
    expect((await verify(PLAIN, "v0.15.0")).zipH1).toBe(hashZip(sim.zipFor(PLAIN, "v0.15.0")));
  });

  it("builds the same tree on every run", async () => {
    const again = await startMirrorSim(scenario(), { clock: createSimClock(at(60)) });
    sim.clock.set(at(60));
    try {
      const latest = async (url: string) => (await fetch(`${url}/latest`)).text();
      expect(await latest(again.sumdb?.url ?? "")).toBe(await latest(prefixOf()));
    } finally {
      sim.clock.set(T0);
      await again.close();
    }
  });

  it("serves https://<name> to a client that tunnels through the database's CONNECT proxy", async () => {
    const env = db().directEnv;
    expect(env?.SSL_CERT_FILE).toMatch(/testdata\/sumdb-tls-cert\.pem$/);
    const proxy = new URL(env?.HTTPS_PROXY ?? "");
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request({ host: proxy.hostname, port: proxy.port, method: "CONNECT", path: `${db().name}:443` });
      req.on("connect", (res, sock) => (res.statusCode === 200 ? resolve(sock) : reject(new Error(`CONNECT ${res.statusCode}`))));
      req.on("error", reject);
      req.end();
    });
    const text = await new Promise<string>((resolve, reject) => {
      const tls = connect({ socket, servername: db().name, ca: readFileSync(env?.SSL_CERT_FILE ?? "") }, () => {
        tls.write(`GET /latest HTTP/1.1\r\nHost: ${db().name}\r\nConnection: close\r\n\r\n`);
      });
      let out = "";
      tls.on("data", (d: Buffer) => (out += d.toString("utf8")));
      tls.on("end", () => resolve(out));
      tls.on("error", reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text).toContain("\r\n\r\ngo.sum database tree\n");
    expect(sim.log(db().name).at(-1)).toMatchObject({ path: "/latest", status: 200, headers: { host: db().name } });
    // Any other tunnel is refused.
    const refused = await new Promise<number>((resolve) => {
      const req = request({ host: proxy.hostname, port: proxy.port, method: "CONNECT", path: "proxy.golang.org:443" });
      req.on("connect", (res, sock) => {
        sock.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", () => resolve(-1));
      req.end();
    });
    expect(refused).toBe(403);
  });
});

describe("the checksum database through each mirror", () => {
  it("/supported: 200 with an empty body where proxied, 404 where absent or for another database", async () => {
    const supported = await rawGet(`${base("proxy")}/sumdb/${db().name}/supported`);
    expect([supported.status, supported.text, supported.headers["cache-control"]]).toEqual([200, "", "public, max-age=86400"]);
    expect((await rawGet(`${base("absent")}/sumdb/${db().name}/supported`)).status).toBe(404);
    expect((await rawGet(`${base("absent")}${lookupPath(UPPER, "v1.4.0").replace("/", `/sumdb/${db().name}/`)}`)).status).toBe(404);
    expect((await rawGet(`${base("proxy")}/sumdb/sum.golang.org/supported`)).status).toBe(404);
    expect(sim.log().map((e) => [e.mirror, e.kind, e.status])).toEqual([
      ["proxy", "supported", 200],
      ["absent", "supported", 404],
      ["absent", "sumdb", 404],
      ["proxy", "supported", 404],
    ]);
  });

  it("garbled, forged and bad-proof proxies fail verification the way the go command's client fails", async () => {
    expect(await failureCode(verify(UPPER, "v1.4.0", "garbled"))).toBe("malformed_record");
    expect(await failureCode(verify(UPPER, "v1.4.0", "forged"))).toBe("invalid_signature");
    expect(await failureCode(verify(UPPER, "v1.4.0", "bad-proof"))).toBe("inconsistent_tile");
    // Each lies only where its mode says: the forged proxy's tiles and the bad-proof proxy's lookups are honest.
    const honest = await (await fetch(prefixOf() + lookupPath(UPPER, "v1.4.0"))).text();
    expect(await (await fetch(prefixOf("bad-proof") + lookupPath(UPPER, "v1.4.0"))).text()).toBe(honest);
    expect(await (await fetch(prefixOf("forged") + lookupPath(UPPER, "v1.4.0"))).text()).toBe(forgeSignedNote(honest));
    const tile = `tile/8/0/000.p/${(await verify(UPPER, "v1.4.0")).tree.n}`;
    expect(Buffer.from((await fetchBytes(`${prefixOf("forged")}/${tile}`)) ?? []).equals(Buffer.from((await fetchBytes(`${prefixOf()}/${tile}`)) ?? []))).toBe(true);
  });

  it("a sumdb fault tampers with the lookup of one version only", async () => {
    sim.addFault("proxy", { module: UPPER, version: "v1.3.2", kinds: ["sumdb"], effect: { type: "sumdb", mode: "forged" } });
    expect(await failureCode(verify(UPPER, "v1.3.2", "proxy"))).toBe("invalid_signature");
    expect(await failureCode(verify(UPPER, "v1.4.0", "proxy"))).toBe("verified");
    sim.clearFaults();
    sim.addFault("proxy", { kinds: ["sumdb"], effect: { type: "sumdb", mode: "bad-proof" } });
    expect(await failureCode(verify(UPPER, "v1.4.0", "proxy"))).toBe("inconsistent_tile");
    sim.clearFaults();
    // Status faults reach the checksum-database endpoints too.
    sim.addFault("proxy", { kinds: ["supported"], effect: { type: "status", status: 503 } });
    expect((await rawGet(`${base("proxy")}/sumdb/${db().name}/supported`)).status).toBe(503);
    expect(sim.log("proxy").at(-1)?.fault).toBe("status");
  });

  it("forgeSignedNote keeps the signer's name and key hash; corruptTile keeps the length", () => {
    const note = "go.sum database tree\n3\nAAAA\n\n\u2014 sum.mirror-sim.test dQcYm+dZALBubWrtLekf6wNUDVa197xRNshmzoZ81cDmcMh1QHkMC1fVfb642F5H7mzdQ0pU7+YZlgRMlWdskx4S8ww=\n";
    const forged = forgeSignedNote(note);
    expect(forged).not.toBe(note);
    const sig = (t: string) => Buffer.from(t.split(" ").at(-1)?.trim() ?? "", "base64");
    expect(sig(forged).subarray(0, 4).equals(sig(note).subarray(0, 4))).toBe(true);
    expect(forged.split("\n\n")[0]).toBe(note.split("\n\n")[0]);
    const tile = Buffer.alloc(64, 7);
    expect(corruptTile(tile)).toHaveLength(64);
    expect(corruptTile(tile).equals(tile)).toBe(false);
  });
});
