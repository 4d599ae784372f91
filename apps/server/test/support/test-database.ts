import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/database.js";
import { postgresAdminUrl, withDatabase } from "./postgres.js";

/**
 * A clean, migrated database for one test file: in-memory PGlite by default, or a new database on
 * the PostgreSQL named by TEST_DATABASE_URL (dropped again by `drop`).
 */
export async function createTestDatabase(): Promise<{
  database: Database;
  drop: () => Promise<void>;
}> {
  if (!process.env.TEST_DATABASE_URL) {
    const database = await openDatabase({ kind: "pglite", dataDir: undefined });
    return { database, drop: () => database.close() };
  }
  const { url, drop } = await createPostgresDatabase(process.env.TEST_DATABASE_URL);
  const database = await openDatabase({ kind: "postgres", url, poolSize: 5 });
  return {
    database,
    drop: async () => {
      await database.close();
      await drop();
    },
  };
}

/** Creates an empty database on the server at `adminUrl`; `drop` removes it. */
export async function createPostgresDatabase(adminUrl: string = requireUrl()) {
  const name = `mcphost_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: withDatabase(adminUrl, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

function requireUrl(): string {
  if (!postgresAdminUrl) throw new Error("no PostgreSQL configured for tests");
  return postgresAdminUrl;
}
