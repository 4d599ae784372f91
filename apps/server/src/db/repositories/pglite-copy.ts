import type { PGlite } from "@electric-sql/pglite";

/**
 * Rows into embedded PGlite by `COPY ... FROM '/dev/blob'`, PostgreSQL's bulk-load path, rather
 * than an insert from one JSON document: that one parses the batch as a JSON value and then each
 * row's values again. For the tracer's invocations COPY costs about a third less CPU a row (on
 * this project's benchmark machine: 23 → 16 µs for a tool call, 50 → 36 µs in a mix with
 * `tools/list` results), and PGlite runs on the gateway's own thread, so that is CPU taken from
 * every MCP call (docs/benchmarks.md).
 */

/** The column types this writer knows how to spell in COPY's text format. */
export type CopyColumnType = "text" | "jsonb" | "boolean" | "real" | "timestamptz";

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A text value as COPY's text format reads it. */
const text = (value: string) =>
  SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPED[c] as string) : value;

/** One value in COPY's text format (`\N` is NULL). */
function copyValue(value: unknown, type: CopyColumnType): string {
  if (value === null || value === undefined) return "\\N";
  if (type === "boolean") return value ? "t" : "f";
  if (type !== "jsonb") return text(String(value));
  // JSON text holds no raw tab or line break (JSON escapes them), only backslashes to double.
  const json = JSON.stringify(value);
  return json.includes("\\") ? json.replaceAll("\\", "\\\\") : json;
}

/** The rows as COPY text, one line each, their ids first. */
export function copyText(
  columns: Readonly<Record<string, CopyColumnType>>,
  rows: ReadonlyArray<Record<string, unknown>>,
  firstId: number,
): string {
  const entries = Object.entries(columns);
  let out = "";
  rows.forEach((row, i) => {
    out += String(firstId + i);
    for (const [column, type] of entries) out += `\t${copyValue(row[column], type)}`;
    out += "\n";
  });
  return out;
}

/**
 * Stores the rows in `table` (whose `id` is a serial) in one transaction and returns their ids,
 * in order. The ids are taken from the table's sequence first (one statement moves it past the
 * whole batch) and written with the rows, so the order does not rest on how COPY assigns
 * defaults. `table` and the column names are this code's own, never a caller's input.
 */
export async function copyRowsWithIds(
  client: PGlite,
  table: string,
  columns: Readonly<Record<string, CopyColumnType>>,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<number[]> {
  return client.transaction(async (tx) => {
    const { rows: reserved } = await tx.query<{ first: string }>(
      `select setval(pg_get_serial_sequence($2, 'id'),
         nextval(pg_get_serial_sequence($2, 'id')) + $1 - 1) - $1 + 1 as first`,
      [rows.length, table],
    );
    const firstId = Number(reserved[0]?.first);
    const names = ["id", ...Object.keys(columns)].join(", ");
    await tx.query(`copy ${table} (${names}) from '/dev/blob'`, [], {
      blob: new Blob([copyText(columns, rows, firstId)]),
    });
    return rows.map((_, i) => firstId + i);
  });
}
