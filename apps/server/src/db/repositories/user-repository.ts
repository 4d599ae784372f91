import { count, eq, sql } from "drizzle-orm";
import type { UserRepository } from "../../domain/accounts/ports.js";
import type { User } from "../../domain/accounts/user.js";
import { DomainError } from "../../lib/errors.js";
import type { Db } from "../database.js";
import { users } from "../schema/index.js";
import { isUniqueViolation } from "./pg-errors.js";

/** Advisory lock key that serialises account-wide rules (first admin, last admin). */
const ACCOUNT_CHANGES_LOCK = 7_070_002;

const publicColumns = {
  id: users.id,
  email: users.email,
  role: users.role,
  serverQuota: users.serverQuota,
  createdAt: users.createdAt,
};

export function createUserRepository(db: Db): UserRepository {
  return {
    async findById(id) {
      const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id));
      return row;
    },
    async findByEmailWithSecret(email) {
      const [row] = await db
        .select({ ...publicColumns, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.email, email));
      return row;
    },
    async findPasswordHash(id) {
      const [row] = await db.select({ h: users.passwordHash }).from(users).where(eq(users.id, id));
      return row?.h;
    },
    async count() {
      const [row] = await db.select({ n: count() }).from(users);
      return row?.n ?? 0;
    },
    async countAdmins() {
      const [row] = await db.select({ n: count() }).from(users).where(eq(users.role, "admin"));
      return row?.n ?? 0;
    },
    async insert(user) {
      try {
        const [row] = await db.insert(users).values(user).returning(publicColumns);
        return row as User;
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DomainError("EMAIL_TAKEN", "An account with this email already exists", {
            fields: [{ field: "email", detail: "is already registered" }],
          });
        }
        throw err;
      }
    },
    async updatePasswordHash(id, passwordHash) {
      await db.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, id));
    },
    async update(id, patch) {
      if (Object.keys(patch).length === 0) return this.findById(id);
      const [row] = await db
        .update(users)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning(publicColumns);
      return row;
    },
    async list({ limit, offset }) {
      const items = await db
        .select(publicColumns)
        .from(users)
        .orderBy(users.createdAt, users.id)
        .limit(limit)
        .offset(offset);
      return { items, total: await this.count() };
    },
    async lockForAccountChanges() {
      await db.execute(sql`select pg_advisory_xact_lock(${ACCOUNT_CHANGES_LOCK})`);
    },
  };
}
