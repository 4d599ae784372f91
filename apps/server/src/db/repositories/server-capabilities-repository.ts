import { eq, sql } from "drizzle-orm";
import type {
  ServerCapabilities,
  ServerCapabilitiesRepository,
} from "../../domain/servers/server-capabilities.js";
import type { Db } from "../database.js";
import { serverCapabilities } from "../schema/index.js";

type Row = typeof serverCapabilities.$inferSelect;

const toCapabilities = (row: Row): ServerCapabilities => ({
  serverId: row.serverId,
  protocolVersion: row.protocolVersion,
  serverInfo: row.serverInfo,
  capabilities: row.capabilities,
  instructions: row.instructions,
  tools: row.tools,
  resources: row.resources,
  resourceTemplates: row.resourceTemplates,
  prompts: row.prompts,
  error: row.error,
  discoveredAt: row.discoveredAt,
  revision: row.revision,
});

/** One row per server, written with upserts so the revision grows atomically. */
export function createServerCapabilitiesRepository(db: Db): ServerCapabilitiesRepository {
  return {
    async find(serverId) {
      const [row] = await db
        .select()
        .from(serverCapabilities)
        .where(eq(serverCapabilities.serverId, serverId));
      return row ? toCapabilities(row) : undefined;
    },
    async saveDiscovered(serverId, found, at) {
      const values = { ...found, error: null, discoveredAt: at };
      const [row] = await db
        .insert(serverCapabilities)
        .values({ serverId, ...values, revision: 1 })
        .onConflictDoUpdate({
          target: serverCapabilities.serverId,
          set: { ...values, revision: sql`${serverCapabilities.revision} + 1` },
        })
        .returning();
      return toCapabilities(row as Row);
    },
    async saveFailure(serverId, error, at) {
      const [row] = await db
        .insert(serverCapabilities)
        .values({ serverId, error, discoveredAt: at, revision: 1 })
        .onConflictDoUpdate({
          target: serverCapabilities.serverId,
          set: { error, discoveredAt: at, revision: sql`${serverCapabilities.revision} + 1` },
        })
        .returning();
      return toCapabilities(row as Row);
    },
  };
}
