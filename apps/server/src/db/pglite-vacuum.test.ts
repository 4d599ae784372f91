import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createLogger } from "../lib/logger.js";
import { openDatabase } from "./database.js";
import { createPgliteVacuum } from "./pglite-vacuum.js";

const sizeOf = async (db: Awaited<ReturnType<typeof openDatabase>>["db"], table: string) => {
  const result = await db.execute(sql`select pg_total_relation_size(${table}::regclass) as bytes`);
  return Number((result as unknown as { rows: Array<{ bytes: string | number }> }).rows[0]?.bytes);
};

/** Fills the table with 2,000 rows of ~1 KB and deletes them: the churn of a pruned table. */
async function churn(db: Awaited<ReturnType<typeof openDatabase>>["db"]) {
  await db.execute(
    sql.raw(`insert into churn (body) select repeat('x', 1000) from generate_series(1, 2000)`),
  );
  await db.execute(sql.raw("delete from churn"));
}

describe("vacuuming the embedded database", () => {
  it("lets deleted rows' space be reused, where without it the table keeps growing", async () => {
    const database = await openDatabase({ kind: "pglite", dataDir: undefined });
    const vacuum = createPgliteVacuum({
      db: database.db,
      logger: createLogger({ level: "silent" }),
    });
    try {
      await database.db.execute(sql.raw("create table churn (id serial primary key, body text)"));
      await churn(database.db);
      const afterOne = await sizeOf(database.db, "churn");
      await churn(database.db);
      await churn(database.db);
      // No vacuum: three rounds of churn take about three times the space of one.
      expect(await sizeOf(database.db, "churn")).toBeGreaterThan(afterOne * 2.5);

      await vacuum.vacuumOnce();
      for (let i = 0; i < 3; i++) {
        await churn(database.db);
        await vacuum.vacuumOnce();
      }
      // Vacuumed between rounds, three more rounds fit in the space of one.
      expect(await sizeOf(database.db, "churn")).toBeLessThanOrEqual(afterOne);
    } finally {
      await vacuum.stop();
      await database.close();
    }
  });
});
