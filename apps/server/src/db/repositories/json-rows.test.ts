import { asc, eq, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/test-database.js";
import type { Database, Db } from "../database.js";
import { jsonRowReader } from "./json-rows.js";

const things = pgTable("json_rows_test", {
  id: integer("id").primaryKey(),
  label: text("label"),
  flag: boolean("flag").notNull(),
  count: integer("count"),
  data: jsonb("data").$type<{ list: number[] } | string>(),
  at: timestamp("at", { withTimezone: true }),
});

type Thing = typeof things.$inferSelect;
const columns = {
  id: things.id,
  label: things.label,
  flag: things.flag,
  count: things.count,
  data: things.data,
  at: things.at,
};
const reader = jsonRowReader<Thing>(columns);

let database: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ database, drop } = await createTestDatabase());
  await database.db.execute(sql`create table json_rows_test (
    id integer primary key, label text, flag boolean not null, count integer, data jsonb,
    at timestamptz)`);
  await database.db.insert(things).values([
    {
      id: 2,
      label: 'two "quoted" ✓\n',
      flag: true,
      count: 2_147_483_647,
      data: { list: [1, 2] },
      at: new Date("2026-03-01T10:00:00.123Z"),
    },
    { id: 1, label: null, flag: false, count: null, data: "just a string", at: null },
    {
      id: 3,
      label: "",
      flag: true,
      count: -2,
      data: null,
      at: new Date("1999-12-31T23:59:59.999Z"),
    },
  ]);
});
afterAll(() => drop?.());

describe("jsonRowReader", () => {
  it("reads rows exactly as a plain select does, in the order asked", async () => {
    const plain = await database.db.select(columns).from(things).orderBy(asc(things.id));
    expect(plain).toHaveLength(3);
    expect(await reader.list(database.db, things, undefined, ["id"])).toEqual(plain);
    const flagged = await reader.list(database.db, things, eq(things.flag, true), ["flag", "id"]);
    expect(flagged.map((t) => t.id)).toEqual([2, 3]);
  });

  it("reads timestamps right whatever the session's time zone", async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'Asia/Kolkata'`);
      const [two] = await reader.list(tx as unknown as Db, things, eq(things.id, 2), ["id"]);
      expect(two?.at).toEqual(new Date("2026-03-01T10:00:00.123Z"));
    });
  });

  it("gives an empty list for no rows", async () => {
    expect(await reader.list(database.db, things, sql`false`, ["id"])).toEqual([]);
  });

  it("refuses columns whose JSON form differs from the driver's value", () => {
    const big = pgTable("b", { n: bigint("n", { mode: "number" }) });
    const local = pgTable("l", { at: timestamp("at") });
    const float = pgTable("f", { x: real("x") });
    expect(() => jsonRowReader({ n: big.n })).toThrow(/not supported/);
    expect(() => jsonRowReader({ at: local.at })).toThrow(/not supported/);
    expect(() => jsonRowReader({ x: float.x })).toThrow(/not supported/);
  });
});
