/** PostgreSQL error codes we translate into domain errors. Drizzle may wrap the driver's error. */
function pgCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown) => pgCode(err) === "23505";
export const isForeignKeyViolation = (err: unknown) => pgCode(err) === "23503";
/**
 * A delete refused because other rows still reference the row: an `on delete restrict` foreign key
 * raises 23001 (restrict_violation) from PostgreSQL 18, as PGlite is, and 23503 before.
 */
export const isStillReferenced = (err: unknown) => {
  const code = pgCode(err);
  return code === "23001" || code === "23503";
};
