import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MirrorObservation } from "@/lib/store";
import { createCheckWriter } from "./check-store";
import type { CheckWriter } from "./check-store";
import { migrateDatabase, openDatabase } from "./connection";
import type { Db } from "./connection";
import { compactOutcomes } from "./retention";

/*
 * A second writer (another process in production: a demo filler, a migration, a second server) holds the write
 * lock for a moment. Our writes must wait for it through busy_timeout. A deferred transaction that read before
 * it wrote cannot: SQLite refuses to upgrade a read snapshot and answers SQLITE_BUSY without calling the busy handler.
 */

const MODULE = "example.com/write-lock";
const T0 = Date.UTC(2026, 0, 1);
const HOLD_MS = 400;

// Plain JavaScript run in a worker thread: its own connection, so the lock is held while this thread is blocked.
const LOCK_HOLDER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.path);
db.pragma("busy_timeout = 5000");
db.exec("begin immediate");
db.prepare("insert into mirrors (name) values (?)").run("lock-holder");
parentPort.postMessage("locked");
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
db.exec("rollback");
db.close();
`;

let dir: string;
let db: Db;
let writer: CheckWriter;

const observation = (mirror: string, listed: string[]): MirrorObservation => ({
  mirror,
  outcome: "ok",
  listOutcome: "ok",
  status: 200,
  latencyMs: 10,
  message: null,
  cacheControl: null,
  age: null,
  latestVersion: listed.at(-1) ?? null,
  listedVersions: listed,
  authoritativeVersion: null,
  gomod: null,
  requests: 2,
  passive: false,
});

/** Runs `write` while another connection holds the write lock for HOLD_MS; resolves with how long `write` took. */
async function whileLocked(write: () => void): Promise<number> {
  const worker = new Worker(LOCK_HOLDER, { eval: true, workerData: { path: join(dir, "lock.db"), holdMs: HOLD_MS } });
  const exited = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  const started = performance.now();
  try {
    write();
    return performance.now() - started;
  } finally {
    await exited;
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mirrorlag-lock-"));
  db = openDatabase(join(dir, "lock.db"));
  migrateDatabase(db);
  writer = createCheckWriter(db);
  for (let i = 0; i < 5; i++) writer.recordCheck({ module: MODULE, at: new Date(T0 + i * 60_000), trigger: "poll", observations: [observation("ref", ["v1.0.0"])] });
});

afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("writes while another connection holds the write lock", () => {
  it("retention waits for the lock and compacts", async () => {
    let stats: ReturnType<typeof compactOutcomes> | undefined;
    const waited = await whileLocked(() => {
      stats = compactOutcomes(db, { olderThan: new Date(T0 + 3600_000), dailyOlderThan: new Date(T0 + 3600_000) });
    });
    // Checks 2 to 4 are compactable (1 is the listing's from, 5 the newest and last answered).
    expect(stats).toEqual({ checks: 3, outcomeRows: 3, hourRowsFolded: 0, done: true });
    expect(waited).toBeGreaterThan(HOLD_MS / 2);
  });

  it("a check waits for the lock and is recorded", async () => {
    let id = 0;
    await whileLocked(() => {
      id = writer.recordCheck({ module: MODULE, at: new Date(T0 + 600_000), trigger: "poll", observations: [observation("ref", ["v1.0.0", "v1.1.0"])] }).check.id;
    });
    expect(db.$client.prepare("select count(*) as n from listings where from_check_id = ?").get(id)).toEqual({ n: 1 });
  });

  it("commit times wait for the lock and are stored", async () => {
    await whileLocked(() => writer.recordVersionTimes(MODULE, [{ version: "v1.0.0", time: new Date(T0), mirror: "ref" }]));
    expect(db.$client.prepare("select time from versions where version = 'v1.0.0'").get()).toEqual({ time: T0 });
  });
});
