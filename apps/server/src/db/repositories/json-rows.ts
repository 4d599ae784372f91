import { type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../database.js";

/**
 * Column types whose JSON form is what the driver gives for them: text, integers, booleans and
 * JSON as they are; `timestamptz` as ISO text with an offset, turned back into a Date. Others are
 * refused when the reader is built: bigint would lose precision, floats turn NaN into a string,
 * `timestamp` without a zone would be read in local time.
 */
const SUPPORTED = new Set(["PgText", "PgInteger", "PgBoolean", "PgJsonb", "PgJson"]);

/**
 * Reads many rows as one JSON document built by the database: one value to transfer and decode,
 * where a plain select returns a value per row and column, each with a cost of its own in the
 * driver that dominates long lists (on embedded PGlite, listing 1,000 servers spent more CPU
 * decoding its ~29,000 values in JavaScript than running the query). `columns` maps the row's
 * property names to the table's columns, as for `db.select(columns)`.
 */
export function jsonRowReader<Row extends Record<string, unknown>>(
  columns: Record<keyof Row & string, PgColumn>,
) {
  const entries = Object.entries(columns) as Array<[string, PgColumn]>;
  const dates: string[] = [];
  for (const [key, column] of entries) {
    const timestamptz =
      column.columnType === "PgTimestamp" && (column as { withTimezone?: boolean }).withTimezone;
    if (timestamptz) dates.push(key);
    else if (!SUPPORTED.has(column.columnType))
      throw new Error(`column ${column.name}: ${column.columnType} is not supported`);
  }
  // The subquery's columns are named after the properties, so its rows are the JSON objects.
  const fields = Object.fromEntries(entries.map(([key, column]) => [key, sql`${column}`.as(key)]));

  /** Turns the aggregate's text back into rows as `db.select(columns)` returns them. */
  function parse(text: string): Row[] {
    const rows = JSON.parse(text) as Array<Record<string, unknown>>;
    for (const row of rows)
      for (const key of dates) {
        const value = row[key];
        if (typeof value === "string") row[key] = new Date(value);
      }
    return rows as Row[];
  }

  return {
    /**
     * The rows of `table` matching `where`, sorted by `orderBy` (ascending): what
     * `db.select(columns).from(table).where(where).orderBy(...)` returns.
     */
    async list(
      db: Db,
      table: PgTable,
      where: SQL | undefined,
      orderBy: Array<keyof Row & string>,
    ): Promise<Row[]> {
      const rows = db.select(fields).from(table).where(where).as("r");
      // Written as the alias: `${rows}` in an expression would repeat the whole subquery.
      const r = sql.identifier("r");
      const order = sql.join(
        orderBy.map((key) => sql`${r}.${sql.identifier(key)}`),
        sql`, `,
      );
      const [result] = await db
        .select({ rows: sql<string>`coalesce(json_agg(${r} order by ${order}), '[]')::text` })
        .from(rows);
      return parse(result?.rows ?? "[]");
    },
  };
}
