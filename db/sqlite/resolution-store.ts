import "server-only";
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { NewResolution, Replacement, ResolutionItem, StoredResolution } from "@/lib/store";
import type { Db } from "./connection";
import { resolutionItems, resolutions } from "./schema";

export type ResolutionWriter = {
  createResolution(resolution: NewResolution): StoredResolution;
  findResolution(id: number): StoredResolution | null;
  lastResolution(inputHash: string): StoredResolution | null;
  recordResolutionProbe(id: number, position: number, probeId: number): void;
  finishResolution(id: number, status: "done" | "interrupted", at: Date): void;
  runningResolutions(): number[];
};

export function createResolutionWriter(db: Db): ResolutionWriter {
  const itemsOf = (id: number): ResolutionItem[] =>
    db
      .select()
      .from(resolutionItems)
      .where(eq(resolutionItems.resolutionId, id))
      .orderBy(asc(resolutionItems.position))
      .all()
      .map((r) => ({
        position: r.position,
        module: r.module,
        version: r.version,
        indirect: r.indirect,
        replacedBy: r.replacedBy === null ? null : (JSON.parse(r.replacedBy) as Replacement),
        excluded: r.excluded,
        probeId: r.probeId,
      }));
  const load = (row: typeof resolutions.$inferSelect | undefined): StoredResolution | null =>
    row
      ? {
          id: row.id,
          createdAt: new Date(row.createdAt),
          finishedAt: row.finishedAt === null ? null : new Date(row.finishedAt),
          inputHash: row.inputHash,
          gomod: row.gomod,
          gosum: row.gosum,
          zips: row.zips,
          status: row.status,
          total: row.total,
          items: itemsOf(row.id),
        }
      : null;

  return {
    createResolution(resolution) {
      const id = db.transaction(
        (tx) => {
          const inserted = tx
            .insert(resolutions)
            .values({
              createdAt: resolution.createdAt.getTime(),
              inputHash: resolution.inputHash,
              gomod: resolution.gomod,
              gosum: resolution.gosum,
              zips: resolution.zips,
              status: "running",
              total: resolution.total,
            })
            .returning({ id: resolutions.id })
            .get();
          // Chunks keep each statement under SQLite's variable limit for a 2,000-requirement go.mod.
          for (let i = 0; i < resolution.items.length; i += 200) {
            const chunk = resolution.items.slice(i, i + 200);
            if (chunk.length === 0) continue;
            tx.insert(resolutionItems)
              .values(chunk.map((item) => ({ ...item, resolutionId: inserted.id, replacedBy: item.replacedBy === null ? null : JSON.stringify(item.replacedBy) })))
              .run();
          }
          return inserted.id;
        },
        { behavior: "immediate" },
      );
      const stored = load(db.select().from(resolutions).where(eq(resolutions.id, id)).get());
      if (!stored) throw new Error(`resolution ${id} could not be read back`);
      return stored;
    },
    findResolution: (id) => load(db.select().from(resolutions).where(eq(resolutions.id, id)).get()),
    lastResolution: (inputHash) => load(db.select().from(resolutions).where(eq(resolutions.inputHash, inputHash)).orderBy(desc(resolutions.id)).limit(1).get()),
    recordResolutionProbe(id, position, probeId) {
      db.update(resolutionItems)
        .set({ probeId })
        .where(and(eq(resolutionItems.resolutionId, id), eq(resolutionItems.position, position), isNull(resolutionItems.probeId)))
        .run();
    },
    finishResolution(id, status, at) {
      db.update(resolutions).set({ status, finishedAt: at.getTime() }).where(and(eq(resolutions.id, id), eq(resolutions.status, "running"))).run();
    },
    runningResolutions: () =>
      db
        .select({ id: resolutions.id })
        .from(resolutions)
        .where(eq(resolutions.status, "running"))
        .all()
        .map((r) => r.id),
  };
}
