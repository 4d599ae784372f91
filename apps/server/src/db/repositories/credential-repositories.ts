import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import type { AccessTokenRepository, SessionRepository } from "../../domain/accounts/ports.js";
import type { Db } from "../database.js";
import { apiTokens, sessions } from "../schema/index.js";

export function createSessionRepository(db: Db): SessionRepository {
  return {
    async insert(session) {
      await db.insert(sessions).values(session);
    },
    async findActive(id, now) {
      const [row] = await db
        .select({
          id: sessions.id,
          userId: sessions.userId,
          createdAt: sessions.createdAt,
          expiresAt: sessions.expiresAt,
          revokedAt: sessions.revokedAt,
        })
        .from(sessions)
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
      return row;
    },
    async revoke(id, now) {
      await db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
    },
    async revokeAllForUser(userId, now) {
      await db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    },
  };
}

const tokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  name: apiTokens.name,
  tokenPrefix: apiTokens.tokenPrefix,
  scopes: apiTokens.scopes,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
};

const activeAt = (now: Date) =>
  and(isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)));

export function createAccessTokenRepository(db: Db): AccessTokenRepository {
  return {
    async insert(token) {
      await db.insert(apiTokens).values(token);
    },
    async listActive(userId, now) {
      return db
        .select(tokenColumns)
        .from(apiTokens)
        .where(and(eq(apiTokens.userId, userId), activeAt(now)))
        .orderBy(desc(apiTokens.createdAt));
    },
    async findActiveByHash(tokenHash, now) {
      const [row] = await db
        .select(tokenColumns)
        .from(apiTokens)
        .where(and(eq(apiTokens.tokenHash, tokenHash), activeAt(now)));
      return row;
    },
    async revoke(userId, id, now) {
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return rows.length > 0;
    },
    async touch(id, now) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
    },
  };
}
