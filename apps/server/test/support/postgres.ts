/**
 * Where a real PostgreSQL for tests is, if any. CI exports TEST_POSTGRES_URL (an admin URL) in every
 * run; TEST_DATABASE_URL additionally moves the whole suite from PGlite onto PostgreSQL.
 */
export const postgresAdminUrl: string | undefined =
  process.env.TEST_POSTGRES_URL || process.env.TEST_DATABASE_URL || undefined;

export const runningInCi = process.env.CI === "true";

/**
 * For tests that need PostgreSQL itself: the reason to skip when it is absent, or undefined to run.
 * Under CI=true the tests run regardless, and fail loudly if the database is missing.
 */
export const skipWithoutPostgres: string | undefined =
  postgresAdminUrl || runningInCi
    ? undefined
    : "PostgreSQL not found: set TEST_POSTGRES_URL (source .ci/postgres.sh starts one)";

export function requirePostgresUrl(): string {
  if (!postgresAdminUrl) {
    throw new Error(
      "This test needs PostgreSQL and CI=true forbids skipping: set TEST_POSTGRES_URL or TEST_DATABASE_URL",
    );
  }
  return postgresAdminUrl;
}

/** The admin URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
