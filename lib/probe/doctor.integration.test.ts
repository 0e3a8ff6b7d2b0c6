// The version doctor end to end: a probe through the service against the doctor scenario, stored, and derived
// into what the page and the API show. Every DOCTOR_CASE must come out as the scenario promises, every diagnosis
// code must read as the sentence written out below, and the record must stand on its own (permalink, reuse,
// passive probes, verification off, no zip bytes in the database).
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSimClock, startMirrorSim } from "@/e2e/mirror-sim";
import type { MirrorSim, Scenario } from "@/e2e/mirror-sim";
import { DOCTOR_CASES, DOCTOR_MIRRORS, DOCTOR_PROBE_TIMEOUT_MS, DOCTOR_REFERENCE, DOCTOR_START, doctorScenario } from "@/e2e/mirror-sim/scenarios/doctor";
import type { DiagnosisCode, DoctorMirror } from "@/e2e/mirror-sim/scenarios/doctor";
import { createTestService } from "@/e2e/support/test-service";
import { toProbeDto } from "@/lib/doctor";
import type { ProbeDto } from "@/lib/doctor";
import { hashZip } from "@/lib/goproxy";

const JWT5 = "github.com/golang-jwt/jwt/v5";
const SEMVER3 = "github.com/Masterminds/semver/v3";
const SARAMA = "github.com/IBM/sarama";
const PROTOBUF = "github.com/golang/protobuf";

/** The doctor's tests probe with a short request timeout, so the scenario's slow answer is a timeout. */
const DOCTOR_ENV = (sim: MirrorSim, extra: Record<string, string> = {}): Record<string, string> => ({
  SUMDB: sim.sumdb?.gosumdb ?? "",
  REQUEST_TIMEOUT_MS: String(DOCTOR_PROBE_TIMEOUT_MS),
  ZIP_TIMEOUT_MS: String(4 * DOCTOR_PROBE_TIMEOUT_MS),
  ...extra,
});

async function startDoctorSim() {
  const clock = createSimClock(DOCTOR_START);
  const sim = await startMirrorSim(doctorScenario(), { clock });
  if (!sim.sumdb) throw new Error("the doctor scenario has a checksum database");
  return { clock, sim };
}

type TestService = ReturnType<typeof createTestService>;

async function probe(service: TestService["service"], module: string, version: string, fetch = true) {
  const outcome = await service.runProbe(module, version, fetch);
  if (!outcome.ok) throw new Error(`probe of ${module}@${version}: ${outcome.message}`);
  return outcome;
}

/**
 * What the doctor says, word for word, for at least one mirror of each code. A Record over the union: the
 * compiler insists every code has sentences. Hashes and vcs cache paths are deterministic (fixed scenario and key).
 */
const SENTENCES: Record<DiagnosisCode, { module: string; version: string; mirror: DoctorMirror; text: string }[]> = {
  served: [
    {
      module: JWT5,
      version: "v5.3.1",
      mirror: "goproxy.cn",
      text: "goproxy.cn serves github.com/golang-jwt/jwt/v5@v5.3.1; its zip and go.mod match the verified record of sum.mirror-sim.test.",
    },
  ],
  retracted_served: [
    {
      module: "github.com/golang-jwt/jwt/v4",
      version: "v4.4.0",
      mirror: "proxy.golang.org",
      text: 'proxy.golang.org serves github.com/golang-jwt/jwt/v4@v4.4.0, which its author retracted ("Contains a backwards incompatible change to the Claims interface."). go get github.com/golang-jwt/jwt/v4@v4.4.0 still works, but @latest and go list -m -versions skip it.',
    },
  ],
  not_yet_on_mirror: [
    {
      module: SEMVER3,
      version: "v3.4.0",
      mirror: "goproxy.cn",
      text: 'goproxy.cn answers 404 ("not found: github.com/Masterminds/semver/v3@v3.4.0: invalid version: unknown revision v3.4.0") for .info of github.com/Masterminds/semver/v3@v3.4.0 while proxy.golang.org serves it (first seen 2026-09-01 00:00 UTC). Its lag has not been measured; a mirror may keep a not-found for up to 30 minutes.',
    },
  ],
  no_such_version: [
    {
      module: JWT5,
      version: "v5.4.0",
      mirror: "proxy.golang.org",
      text: 'No mirror serves github.com/golang-jwt/jwt/v5@v5.4.0: proxy.golang.org answers 404 with "unknown revision", so the tag v5.4.0 does not exist at the origin (or did not when a mirror first asked). Check the tag name or push the tag; a not-found may stay cached for up to 30 minutes.',
    },
    {
      module: JWT5,
      version: "v5.4.0",
      mirror: "goproxy.cn",
      text: 'No mirror serves github.com/golang-jwt/jwt/v5@v5.4.0: goproxy.cn answers 404, and proxy.golang.org says "unknown revision", so the tag v5.4.0 does not exist at the origin (or did not when a mirror first asked). Check the tag name or push the tag; a not-found may stay cached for up to 30 minutes.',
    },
  ],
  no_such_module: [
    {
      module: "github.com/stetchr/testify",
      version: "v1.8.4",
      mirror: "proxy.golang.org",
      text: 'proxy.golang.org cannot read the repository of github.com/stetchr/testify ("fatal: could not read Username for \'https://github.com\': terminal prompts disabled"): it does not exist, or it is private. A private module needs GOPRIVATE=github.com/stetchr (which also sets GONOSUMDB) and direct access to its repository, not a mirror.',
    },
    {
      module: "gitlab.com/azureaio/utils",
      version: "v1.2.0",
      mirror: "goproxy.cn",
      text: 'goproxy.cn cannot read the repository of gitlab.com/azureaio/utils ("fatal: could not read Username for \'https://gitlab.com\': terminal prompts disabled"): it does not exist, or it is private. A private module needs GOPRIVATE=gitlab.com/azureaio (which also sets GONOSUMDB) and direct access to its repository, not a mirror.',
    },
  ],
  path_mismatch: [
    {
      module: "github.com/Sirupsen/logrus",
      version: "v1.9.3",
      mirror: "proxy.golang.com.cn",
      text: 'proxy.golang.com.cn serves github.com/Sirupsen/logrus@v1.9.3, but its go.mod declares module github.com/sirupsen/logrus: go get github.com/Sirupsen/logrus@v1.9.3 fails with "module declares its path as: github.com/sirupsen/logrus but was required as: github.com/Sirupsen/logrus". Require github.com/sirupsen/logrus instead.',
    },
  ],
  invalid_version: [
    {
      module: "github.com/skanehira/clipboard-image",
      version: "v2.0.0",
      mirror: "proxy.golang.org",
      // The scenario's v2.0.0 kept `module github.com/skanehira/clipboard-image`: /v2 alone would not fix it.
      text: 'proxy.golang.org says v2.0.0 is not a valid version of github.com/skanehira/clipboard-image: "invalid version: module contains a go.mod file, so module path must match major version ("github.com/skanehira/clipboard-image/v2")". A v2 tag whose tree has a go.mod belongs to the module path github.com/skanehira/clipboard-image/v2: go get github.com/skanehira/clipboard-image/v2@v2.0.0 works if that go.mod declares module github.com/skanehira/clipboard-image/v2; if it does not, the author has to fix it and tag a new version.',
    },
  ],
  mirror_error: [
    {
      module: PROTOBUF,
      version: "v1.5.4",
      mirror: "goproxy.cn",
      text: 'goproxy.cn failed on the .zip of github.com/golang/protobuf@v1.5.4: it answered 502 ("502 Bad Gateway"). The go command stops a comma-separated GOPROXY here; with | after this mirror it would try the next one.',
    },
    {
      module: SARAMA,
      version: "v1.60.0",
      mirror: "proxy.golang.com.cn",
      text: 'proxy.golang.com.cn failed on the .info of github.com/IBM/sarama@v1.60.0: it timed out ("timed out after 500 ms waiting for response headers"). The go command sets no timeout of its own: it would keep waiting for this mirror (and use a late answer), never moving on to the next one, whatever the separator.',
    },
    {
      module: SARAMA,
      version: "v1.50.3",
      mirror: "goproxy.cn",
      text: 'goproxy.cn failed on the .zip of github.com/IBM/sarama@v1.50.3: it answered 404 "not found: fetch timed out": its own fetch from the origin timed out. The go command treats this answer as not found and moves on to the next mirror; a retry later may succeed.',
    },
  ],
  hash_mismatch: [
    {
      module: SEMVER3,
      version: "v3.3.1",
      mirror: "proxy.golang.com.cn",
      text: 'proxy.golang.com.cn serves a zip of github.com/Masterminds/semver/v3@v3.3.1 whose hash h1:LUdop4Rkds5Us8Bf+YNsXVDNn9b+jJjTSCaTWPYeZLA= differs from the verified record h1:MIkLsPdb4CiH7PO56J5jG4cYit6xEb/0dYVcIqZhoI4= of sum.mirror-sim.test. The go command stops with "SECURITY ERROR"; do not use this mirror for this version.',
    },
  ],
  sumdb_unverified: [
    {
      module: PROTOBUF,
      version: "v1.5.3",
      mirror: "proxy.golang.com.cn",
      text: 'proxy.golang.com.cn serves github.com/golang/protobuf@v1.5.3, but the record its proxy of sum.mirror-sim.test serves does not verify ("malformed record data"). The go command through this mirror would fail verifying the download, whatever the bytes.',
    },
    {
      module: SARAMA,
      version: "v1.60.1",
      mirror: "proxy.golang.com.cn",
      text: 'proxy.golang.com.cn serves github.com/IBM/sarama@v1.60.1, but the record its proxy of sum.mirror-sim.test serves does not verify ("reading tree note: invalid signature for key sum.mirror-sim.test+7507189b"). The go command through this mirror would fail verifying the download, whatever the bytes.',
    },
  ],
};

describe("the version doctor on the doctor scenario", () => {
  let sim: MirrorSim;
  const dtos = new Map<string, ProbeDto>();
  const key = (module: string, version: string) => `${module}@${version}`;

  beforeAll(async () => {
    ({ sim } = await startDoctorSim());
    const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: DOCTOR_REFERENCE, clock: sim.clock.now, env: DOCTOR_ENV(sim) });
    // One after another: concurrent probes would compete for the 500 ms that only the slow answer should miss.
    for (const c of DOCTOR_CASES) dtos.set(key(c.module, c.version), toProbeDto((await probe(service, c.module, c.version)).probe, "en"));
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
  });

  for (const c of DOCTOR_CASES) {
    it(`${c.module}@${c.version}: ${DOCTOR_MIRRORS.map((m) => c.expect[m]).join(" / ")}`, () => {
      const dto = dtos.get(key(c.module, c.version));
      expect(dto?.mirrorOrder).toEqual([...DOCTOR_MIRRORS]);
      const got = Object.fromEntries(DOCTOR_MIRRORS.map((m) => [m, dto?.mirrors[m]?.diagnosis.code]));
      expect(got, c.why).toEqual(c.expect);
    });
  }

  for (const [code, sentences] of Object.entries(SENTENCES)) {
    it(`says ${code} in plain words`, () => {
      expect(sentences.length).toBeGreaterThan(0);
      for (const s of sentences) {
        const m = dtos.get(key(s.module, s.version))?.mirrors[s.mirror];
        expect(m?.diagnosis.code, `${s.mirror} on ${s.module}@${s.version}`).toBe(code);
        expect(m?.diagnosis.text).toBe(s.text);
      }
    });
  }

  it("verifies what it calls served against the checksum database, and never calls anything verified that is not", () => {
    for (const dto of dtos.values()) {
      for (const [name, m] of Object.entries(dto.mirrors)) {
        if (m.diagnosis.code === "served" || m.diagnosis.code === "retracted_served") {
          expect(dto.sumdb.verified, `${dto.module}@${dto.version}`).toBe(true);
          expect([m.zip.h1, m.mod.h1], `${name} on ${dto.module}@${dto.version}`).toEqual([dto.sumdb.zipH1, dto.sumdb.modH1]);
        }
      }
    }
    // The forged note is refused through proxy.golang.com.cn, while the database itself verifies the same record.
    const forged = dtos.get(key(SARAMA, "v1.60.1"));
    expect(forged?.sumdb).toMatchObject({ verified: true, source: "direct" });
    expect(forged?.mirrors["proxy.golang.com.cn"]?.sumdb).toMatchObject({ verified: false, failure: "invalid_signature" });
  });
});

describe("a probe's record", () => {
  let sim: MirrorSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("renders the same evidence from its permalink after the mirrors have changed", async () => {
    const started = await startDoctorSim();
    sim = started.sim;
    const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: DOCTOR_REFERENCE, clock: started.clock.now, env: DOCTOR_ENV(sim) });
    const first = await probe(service, SEMVER3, "v3.4.0");
    const dto = toProbeDto(first.probe, "en");
    expect(dto.permalink).toBe(`/m/github.com/Masterminds/semver/v3@v3.4.0?probe=${first.probe.id}`);
    expect(dto.mirrors["goproxy.cn"]?.diagnosis.code).toBe("not_yet_on_mirror");
    // Half an hour on, goproxy.cn has picked the version up: a new probe sees it, the old record does not change.
    started.clock.advance({ minutes: 31 });
    const later = await probe(service, SEMVER3, "v3.4.0");
    expect(later.probe.id).not.toBe(first.probe.id);
    expect(toProbeDto(later.probe, "en").mirrors["goproxy.cn"]?.diagnosis.code).toBe("served");
    const stored = await service.findProbe(first.probe.id);
    expect(stored).not.toBeNull();
    if (!stored) return;
    expect(JSON.stringify(toProbeDto(stored, "en"))).toBe(JSON.stringify(dto));
    expect(JSON.stringify(toProbeDto(stored, "zh-CN"))).toBe(JSON.stringify(toProbeDto(first.probe, "zh-CN")));
  });

  it("is reused by a second probe of the same mode within MIN_RECHECK_SECONDS, without asking any mirror", async () => {
    const started = await startDoctorSim();
    sim = started.sim;
    const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: DOCTOR_REFERENCE, clock: started.clock.now, env: DOCTOR_ENV(sim, { MIN_RECHECK_SECONDS: "60" }) });
    const first = await probe(service, JWT5, "v5.3.1");
    expect(first.shared).toBeNull();
    sim.clearLog();
    started.clock.advance({ seconds: 59 });
    const again = await probe(service, JWT5, "v5.3.1");
    expect([again.shared, again.probe.id]).toEqual(["recent", first.probe.id]);
    expect(sim.log()).toEqual([]);
    // A passive probe is another mode: it runs, though a fetching one is recent.
    const passive = await probe(service, JWT5, "v5.3.1", false);
    expect([passive.shared, passive.probe.id === first.probe.id]).toEqual([null, false]);
    started.clock.advance({ seconds: 2 });
    const fresh = await probe(service, JWT5, "v5.3.1");
    expect([fresh.shared, fresh.probe.id === first.probe.id]).toEqual([null, false]);
  });

  it("sends Disable-Module-Fetch: true on every .info, .mod and .zip request of a passive probe, and only then", async () => {
    const started = await startDoctorSim();
    sim = started.sim;
    const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: DOCTOR_REFERENCE, clock: started.clock.now, env: DOCTOR_ENV(sim) });
    // The commit-time backfill of listed versions asks .info actively by design (a cached version fetches nothing):
    // let an earlier check finish it, so that every request below is the probe's or its passive check's.
    await service.runCheck(JWT5, { trigger: "user" });
    await service.checker.idle();
    sim.clearLog();
    const files = () => sim?.log().filter((e) => e.kind === "info" || e.kind === "mod" || e.kind === "zip") ?? [];
    /** Which mirrors were asked for this kind of file of the probed version (the check may add .info requests). */
    const askedFor = (kind: "info" | "mod" | "zip") => [...new Set(files().filter((e) => e.kind === kind && e.module === JWT5 && e.version === "v5.3.1").map((e) => e.mirror))].sort();
    const everyMirror = [...DOCTOR_MIRRORS].sort();
    const passive = await probe(service, JWT5, "v5.3.1", false);
    expect(passive.probe.fetch).toBe(false);
    expect([askedFor("info"), askedFor("mod"), askedFor("zip")]).toEqual([everyMirror, everyMirror, everyMirror]);
    for (const e of files()) expect([e.mirror, e.path, e.disableModuleFetch, e.headers["disable-module-fetch"]]).toEqual([e.mirror, e.path, true, "true"]);
    sim.clearLog();
    await probe(service, JWT5, "v5.3.1", true);
    expect([askedFor("info"), askedFor("mod"), askedFor("zip")]).toEqual([everyMirror, everyMirror, everyMirror]);
    for (const e of files()) expect([e.mirror, e.path, e.disableModuleFetch]).toEqual([e.mirror, e.path, false]);
  });

  it("with SUMDB=off claims nothing verified and says so, and asks no checksum database", async () => {
    const started = await startDoctorSim();
    sim = started.sim;
    const { service } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: DOCTOR_REFERENCE, clock: started.clock.now, env: DOCTOR_ENV(sim, { SUMDB: "off" }) });
    const served = toProbeDto((await probe(service, JWT5, "v5.3.1")).probe, "en");
    const different = toProbeDto((await probe(service, SEMVER3, "v3.3.1")).probe, "en");
    for (const dto of [served, different]) {
      expect(dto.sumdb).toMatchObject({ name: null, enabled: false, verified: false, zipH1: null, modH1: null, source: null });
      for (const m of Object.values(dto.mirrors)) expect([m.sumdb.verified, m.sumdb.outcome, m.verdict]).toEqual([false, "skipped", "ok"]);
    }
    for (const m of DOCTOR_MIRRORS) {
      expect(served.mirrors[m]?.diagnosis).toEqual({
        code: "sumdb_unverified",
        text: `${m} serves github.com/golang-jwt/jwt/v5@v5.3.1, but checksum verification was off for this probe (SUMDB off), so nothing here is verified.`,
      });
    }
    expect(different.mirrors["proxy.golang.com.cn"]?.diagnosis.text).toBe(
      "proxy.golang.com.cn serves github.com/Masterminds/semver/v3@v3.3.1, but checksum verification was off for this probe (SUMDB off), so nothing here is verified. Its bytes also differ from what proxy.golang.org serves.",
    );
    expect(sim.log().filter((e) => e.kind === "supported" || e.kind === "sumdb")).toEqual([]);
  });

  it("never stores a zip: the probes row holds its hash and size, and no row anywhere is zip-sized", async () => {
    const BIG = "example.com/big/zip";
    // Incompressible, so the zip is as big as its file: a stored zip could not hide in a small row.
    const payload = randomBytes(384 * 1024).toString("base64");
    const scenario: Scenario = {
      start: DOCTOR_START,
      reference: "ref",
      sumdb: {},
      modules: [{ path: BIG, versions: [{ version: "v1.0.0", time: "2026-08-01T00:00:00Z", gomod: `module ${BIG}\n\ngo 1.21\n`, files: { "payload.txt": payload } }] }],
      mirrors: [{ name: "ref", style: "proxy.golang.org" }],
    };
    const clock = createSimClock(DOCTOR_START);
    sim = await startMirrorSim(scenario, { clock });
    const { service, db } = createTestService({ mirrorsEnv: sim.mirrorsEnv, reference: "ref", clock: clock.now, env: { SUMDB: sim.sumdb?.gosumdb ?? "" } });
    const { probe: stored } = await probe(service, BIG, "v1.0.0");
    const zip = sim.zipFor(BIG, "v1.0.0");
    expect(zip.length).toBeGreaterThan(384 * 1024);
    // The probe did download and hash the whole zip.
    expect(stored.mirrors[0]?.probe.zip).toMatchObject({ outcome: "ok", bytes: zip.length, h1: hashZip(zip) });
    const rows = db.$client.prepare("select length(evidence) as n from probes").all() as { n: number }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.n).toBeLessThan(16 * 1024);
    // No value in any table comes near the zip's size.
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toContain("probes");
    for (const { name } of tables) {
      const cols = db.$client.prepare(`select name from pragma_table_info('${name}')`).all() as { name: string }[];
      if (cols.length === 0) continue;
      // The scalar max over a row's columns (the extra 0 keeps it scalar for a one-column table), then the aggregate.
      const perRow = `max(${cols.map((c) => `coalesce(length("${c.name}"), 0)`).join(", ")}, 0)`;
      const widest = db.$client.prepare(`select max(w) as n from (select ${perRow} as w from "${name}")`).get() as { n: number | null };
      expect(widest.n ?? 0, `widest value in ${name}`).toBeLessThan(64 * 1024);
    }
  });
});
