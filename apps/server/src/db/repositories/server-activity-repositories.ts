import { and, asc, desc, eq, gt, gte, inArray, lt, lte, notInArray, sql } from "drizzle-orm";
import type {
  ServerEvent,
  ServerEventRepository,
  ServerLogLine,
  ServerLogRepository,
} from "../../domain/servers/ports.js";
import type { Db } from "../database.js";
import { serverEvents, serverLogs } from "../schema/index.js";
import { ownerFromColumns, ownerToColumns } from "./owner-columns.js";

type EventRow = typeof serverEvents.$inferSelect;

const toEvent = (row: EventRow): ServerEvent => ({
  id: row.id,
  serverId: row.serverId,
  owner: ownerFromColumns(row),
  kind: row.kind,
  details: row.details,
  time: row.time,
});

export function createServerEventRepository(db: Db): ServerEventRepository {
  return {
    async insert(event) {
      const [row] = await db
        .insert(serverEvents)
        .values({
          serverId: event.serverId,
          ...ownerToColumns(event.owner),
          kind: event.kind,
          details: event.details,
          time: event.time,
        })
        .returning();
      return toEvent(row as EventRow);
    },
    async deleteOlderThan(before) {
      const rows = await db
        .delete(serverEvents)
        .where(lt(serverEvents.time, before))
        .returning({ id: serverEvents.id });
      return rows.length;
    },
    async list(f) {
      const conditions = [eq(serverEvents.serverId, f.serverId)];
      if (f.kinds?.length) conditions.push(inArray(serverEvents.kind, f.kinds));
      if (f.excludeKinds?.length) conditions.push(notInArray(serverEvents.kind, f.excludeKinds));
      if (f.since) conditions.push(gte(serverEvents.time, f.since));
      if (f.until) conditions.push(lte(serverEvents.time, f.until));
      if (f.afterId !== undefined) conditions.push(gt(serverEvents.id, f.afterId));
      const rows = await db
        .select()
        .from(serverEvents)
        .where(and(...conditions))
        .orderBy(asc(serverEvents.id))
        .limit(f.limit);
      return rows.map(toEvent);
    },
  };
}

export function createServerLogRepository(db: Db): ServerLogRepository {
  return {
    async insertMany(lines) {
      if (lines.length === 0) return [];
      const rows = await db.insert(serverLogs).values(lines).returning();
      return rows.map((r) => ({ ...r }) as ServerLogLine);
    },
    async list(f) {
      if (f.afterId !== undefined) {
        return (await db
          .select()
          .from(serverLogs)
          .where(and(eq(serverLogs.serverId, f.serverId), gt(serverLogs.id, f.afterId)))
          .orderBy(asc(serverLogs.id))
          .limit(f.limit)) as ServerLogLine[];
      }
      const newest = await db
        .select()
        .from(serverLogs)
        .where(
          and(
            eq(serverLogs.serverId, f.serverId),
            f.beforeId !== undefined ? lt(serverLogs.id, f.beforeId) : undefined,
          ),
        )
        .orderBy(desc(serverLogs.id))
        .limit(f.limit);
      return newest.reverse() as ServerLogLine[];
    },
    async prune(serverId, keep) {
      // Everything at or below the (keep+1)-th newest id goes.
      await db.execute(sql`
        delete from ${serverLogs}
        where ${serverLogs.serverId} = ${serverId}
          and ${serverLogs.id} <= (
            select ${serverLogs.id} from ${serverLogs}
            where ${serverLogs.serverId} = ${serverId}
            order by ${serverLogs.id} desc offset ${keep} limit 1
          )`);
    },
  };
}
