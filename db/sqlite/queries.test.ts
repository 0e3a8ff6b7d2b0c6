import { describe, expect, it } from "vitest";
import { countChecks, listChecks } from "./queries";
import { migrateDatabase, openDatabase } from "./connection";

/** Inserts checks for modules in the given order of module ids; returns the ids per module. */
function setup(order: number[]) {
  const db = openDatabase(":memory:");
  migrateDatabase(db);
  const sqlite = db.$client;
  for (const id of new Set(order)) sqlite.prepare("insert into modules (id, path) values (?, ?)").run(id, `example.com/m${id}`);
  const insert = sqlite.prepare("insert into checks (module_id, at, trigger) values (?, ?, 'poll')");
  const ids = new Map<number, number[]>();
  order.forEach((moduleId, i) => {
    // Times deliberately not in id order: "newest" means the highest id, whatever the clock said.
    const id = Number(insert.run(moduleId, 1_000_000 - (i % 7) * 1000 + i).lastInsertRowid);
    ids.set(moduleId, [...(ids.get(moduleId) ?? []), id]);
  });
  return { db, ids };
}

const newestFirst = (ids: number[], upTo: number, limit: number) => ids.filter((id) => id <= upTo).sort((a, b) => b - a).slice(0, limit);

describe("listChecks", () => {
  it("gives the newest checks by id for a module dense among recent ids (the window) and for a sparse one (the sort)", () => {
    // Module 1 is checked every time; module 2 once in 80 checks, so its 100 newest lie far outside any window.
    const order = Array.from({ length: 12_000 }, (_, i) => (i % 80 === 0 ? 2 : 1));
    const { db, ids } = setup(order);
    for (const moduleId of [1, 2]) {
      const all = ids.get(moduleId) ?? [];
      for (const upTo of [undefined, all[all.length - 1], all[Math.floor(all.length / 2)], all[3]]) {
        for (const limit of [1, 100]) {
          const got = listChecks(db, moduleId, { upTo, limit }).map((c) => c.id);
          expect(got).toEqual(newestFirst(all, upTo ?? Infinity, limit));
        }
      }
      expect(countChecks(db, moduleId, Number.MAX_SAFE_INTEGER)).toBe(all.length);
    }
  });

  it("returns nothing for a module without checks, also in an empty database", () => {
    const { db } = setup([1, 1, 1]);
    expect(listChecks(db, 2, { limit: 100 })).toEqual([]);
    const empty = openDatabase(":memory:");
    migrateDatabase(empty);
    expect(listChecks(empty, 1, { limit: 100 })).toEqual([]);
  });
});
