import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { ServerKeyRepository } from "../../domain/server-keys/ports.js";
import type { Db } from "../database.js";
import { serverApiKeys, servers } from "../schema/index.js";

const keyColumns = {
  id: serverApiKeys.id,
  serverId: serverApiKeys.serverId,
  name: serverApiKeys.name,
  prefix: serverApiKeys.prefix,
  createdAt: serverApiKeys.createdAt,
  lastUsedAt: serverApiKeys.lastUsedAt,
};

const live = isNull(serverApiKeys.revokedAt);
const keyOf = (serverId: string, id: string) =>
  and(eq(serverApiKeys.id, id), eq(serverApiKeys.serverId, serverId), live);

export function createServerKeyRepository(db: Db): ServerKeyRepository {
  return {
    async insert(key) {
      await db.insert(serverApiKeys).values(key);
    },
    async listActive(serverId) {
      return db
        .select(keyColumns)
        .from(serverApiKeys)
        .where(and(eq(serverApiKeys.serverId, serverId), live))
        .orderBy(desc(serverApiKeys.createdAt), desc(serverApiKeys.id));
    },
    async countActive(serverId) {
      const [row] = await db
        .select({ n: count() })
        .from(serverApiKeys)
        .where(and(eq(serverApiKeys.serverId, serverId), live));
      return row?.n ?? 0;
    },
    async lockServer(serverId) {
      const rows = await db
        .select({ id: servers.id })
        .from(servers)
        .where(eq(servers.id, serverId))
        .for("update");
      return rows.length > 0;
    },
    async findActiveByHash(keyHash) {
      const [row] = await db
        .select(keyColumns)
        .from(serverApiKeys)
        .where(and(eq(serverApiKeys.keyHash, keyHash), live));
      return row;
    },
    async replaceSecret(serverId, id, secret) {
      const [row] = await db
        .update(serverApiKeys)
        .set({ keyHash: secret.keyHash, prefix: secret.prefix, lastUsedAt: null })
        .where(keyOf(serverId, id))
        .returning(keyColumns);
      return row;
    },
    async revoke(serverId, id, now) {
      const rows = await db
        .update(serverApiKeys)
        .set({ revokedAt: now })
        .where(keyOf(serverId, id))
        .returning({ id: serverApiKeys.id });
      return rows.length > 0;
    },
    async touch(id, now) {
      await db.update(serverApiKeys).set({ lastUsedAt: now }).where(eq(serverApiKeys.id, id));
    },
  };
}
