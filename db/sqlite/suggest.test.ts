import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "./connection";
import type { Db } from "./connection";
import { suggestModules } from "./queries";
import * as schema from "./schema";

/** Every statement as it runs, its parameters bound (better-sqlite3's `verbose`), while `ran` is set. */
let ran: string[] | null = null;

/** Modules as a check leaves them: a newest check, and a listing unless no mirror served it. */
function withModules(paths: { path: string; served?: boolean }[]): Db {
  const db = drizzle(new Database(":memory:", { verbose: (statement) => ran?.push(String(statement)) }), { schema }) as Db;
  migrateDatabase(db);
  db.$client.prepare("insert into mirrors (id, name) values (1, 'ref')").run();
  const addModule = db.$client.prepare("insert into modules (path, last_check_id, last_check_at) values (?, 1, 0)");
  const addListing = db.$client.prepare("insert into listings (module_id, mirror_id, version, from_check_id) values (?, 1, 'v1.0.0', 1)");
  db.$client.transaction(() => {
    for (const { path, served = true } of paths) {
      const id = Number(addModule.run(path).lastInsertRowid);
      if (served) addListing.run(id);
    }
  })();
  return db;
}

describe("suggestModules", () => {
  it("offers paths starting with the text first, then those containing it, each in path order, at most `limit`", () => {
    const db = withModules([
      { path: "github.com/gin-gonic/gin" },
      { path: "github.com/gin-contrib/cors" },
      { path: "example.com/github.com-mirror" },
      { path: "gitlab.com/github.com/x" },
      { path: "GITHUB.COM/shouting/mod" },
      { path: "github.com/private/unserved", served: false },
    ]);
    expect(suggestModules(db, "github.com/gin", 8)).toEqual(["github.com/gin-contrib/cors", "github.com/gin-gonic/gin"]);
    // Prefix matches, then the rest (ASCII case aside) by path; a module no mirror served is never offered.
    expect(suggestModules(db, "github.com", 8)).toEqual([
      "github.com/gin-contrib/cors",
      "github.com/gin-gonic/gin",
      "GITHUB.COM/shouting/mod",
      "example.com/github.com-mirror",
      "gitlab.com/github.com/x",
    ]);
    expect(suggestModules(db, "github.com", 3)).toEqual(["github.com/gin-contrib/cors", "github.com/gin-gonic/gin", "GITHUB.COM/shouting/mod"]);
    expect(suggestModules(db, "github.com", 0)).toEqual([]);
    expect(suggestModules(db, "", 8)).toEqual([]);
  });

  it("takes % and _ literally", () => {
    const db = withModules([{ path: "example.com/a_b" }, { path: "example.com/axb" }, { path: "example.com/100%" }]);
    expect(suggestModules(db, "a_b", 8)).toEqual(["example.com/a_b"]);
    expect(suggestModules(db, "0%", 8)).toEqual(["example.com/100%"]);
  });

  it("walks the path index in order, never sorting the matches (its cost over 100,000 modules printed)", () => {
    const db = withModules(Array.from({ length: 100_000 }, (_, i) => ({ path: `example.com/org${i % 500}/mod${i}`, served: i % 10 !== 0 })));
    db.$client.exec("analyze");
    const plans: string[] = [];
    for (const [text, expected] of [
      ["example.com/org42/", 8],
      ["mod4242", 8],
      ["nothing-has-this", 0],
    ] as const) {
      const started = performance.now();
      const found = suggestModules(db, text, 8);
      const ms = performance.now() - started;
      console.log(`suggest "${text}" over 100,000 modules: ${found.length} in ${ms.toFixed(1)} ms`);
      expect(found.length).toBe(expected);
    }
    // The statements as suggestModules sends them, explained.
    ran = [];
    suggestModules(db, "nothing-has-this", 8);
    const statements = ran;
    ran = null;
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      const rows = db.$client.prepare(`explain query plan ${statement}`).all() as { detail: string }[];
      plans.push(rows.map((r) => r.detail).join(" | "));
    }
    console.log(plans.join("\n"));
    expect(plans[0]).toMatch(/SEARCH modules USING (COVERING )?INDEX modules_path_unique \(path>\? AND path<\?\)/);
    for (const plan of plans) expect(plan).not.toContain("TEMP B-TREE");
    expect(plans[1]).toMatch(/SCAN modules USING (COVERING )?INDEX modules_path_unique/);
  });
});
