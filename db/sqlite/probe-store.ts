import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { ProbeRecord, StoredProbe } from "@/lib/store";
import type { Db } from "./connection";
import { modules, probes } from "./schema";

/** The JSON column: the record minus what has columns of its own. */
type Evidence = Pick<ProbeRecord, "reference" | "sumdb" | "mirrors"> & {
  referenceFirstSeen: string | null;
  /** Absent in rows written before zip-less probes existed: those all asked for the zip. */
  zip?: boolean;
  /** Absent in rows written before resolutions' lean probes: those all asked the mirrors' checksum-database proxies. */
  mirrorSumdb?: boolean;
};

export type ProbeWriter = {
  recordProbe(record: ProbeRecord): StoredProbe;
  findProbe(id: number): StoredProbe | null;
  lastProbe(module: string, version: string, fetch: boolean): StoredProbe | null;
  listProbes(module: string, version: string, limit: number): { id: number; at: Date; fetch: boolean }[];
};

type Row = typeof probes.$inferSelect & { module: string };

function fromRow(row: Row): StoredProbe {
  const evidence = JSON.parse(row.evidence) as Evidence;
  return {
    id: row.id,
    module: row.module,
    version: row.version,
    requested: row.requested,
    at: new Date(row.at),
    fetch: row.fetch,
    zip: evidence.zip ?? true,
    mirrorSumdb: evidence.mirrorSumdb ?? true,
    checkId: row.checkId,
    reference: evidence.reference,
    referenceFirstSeen: evidence.referenceFirstSeen === null ? null : new Date(evidence.referenceFirstSeen),
    sumdb: evidence.sumdb,
    mirrors: evidence.mirrors,
  };
}

export function createProbeWriter(db: Db): ProbeWriter {
  const selectProbe = () =>
    db
      .select({
        id: probes.id,
        moduleId: probes.moduleId,
        module: modules.path,
        version: probes.version,
        requested: probes.requested,
        at: probes.at,
        fetch: probes.fetch,
        checkId: probes.checkId,
        evidence: probes.evidence,
      })
      .from(probes)
      .innerJoin(modules, eq(modules.id, probes.moduleId));

  return {
    recordProbe(record) {
      const evidence: Evidence = {
        reference: record.reference,
        referenceFirstSeen: record.referenceFirstSeen?.toISOString() ?? null,
        zip: record.zip,
        mirrorSumdb: record.mirrorSumdb,
        sumdb: record.sumdb,
        mirrors: record.mirrors,
      };
      return db.transaction(
        (tx) => {
          // The accompanying check normally created the module; a probe stands on its own if it did not (a
          // resolution's lean probe): such a module is not watched, or one pasted go.mod would be polled forever.
          tx.insert(modules).values({ path: record.module, watched: false }).onConflictDoNothing().run();
          const moduleRow = tx.select({ id: modules.id }).from(modules).where(eq(modules.path, record.module)).get();
          if (!moduleRow) throw new Error(`module ${record.module} could not be stored`);
          const inserted = tx
            .insert(probes)
            .values({
              moduleId: moduleRow.id,
              version: record.version,
              requested: record.requested,
              at: record.at.getTime(),
              fetch: record.fetch,
              checkId: record.checkId,
              evidence: JSON.stringify(evidence),
            })
            .returning({ id: probes.id })
            .get();
          return { ...record, id: inserted.id };
        },
        { behavior: "immediate" },
      );
    },
    findProbe(id) {
      const row = selectProbe().where(eq(probes.id, id)).get();
      return row ? fromRow(row) : null;
    },
    lastProbe(module, version, fetch) {
      const row = selectProbe()
        .where(and(eq(modules.path, module), eq(probes.version, version), eq(probes.fetch, fetch)))
        .orderBy(desc(probes.id))
        .limit(1)
        .get();
      return row ? fromRow(row) : null;
    },
    listProbes(module, version, limit) {
      return db
        .select({ id: probes.id, at: probes.at, fetch: probes.fetch })
        .from(probes)
        .innerJoin(modules, eq(modules.id, probes.moduleId))
        .where(and(eq(modules.path, module), eq(probes.version, version)))
        .orderBy(desc(probes.id))
        .limit(limit)
        .all()
        .map((r) => ({ id: r.id, at: new Date(r.at), fetch: r.fetch }));
    },
  };
}
