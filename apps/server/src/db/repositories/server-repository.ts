import { and, asc, count, eq, inArray, isNotNull, ne, or, type SQL, sql } from "drizzle-orm";
import type { OwnerRef } from "../../domain/authz/actor.js";
import type { ServerRepository } from "../../domain/servers/ports.js";
import type { Server } from "../../domain/servers/server.js";
import type { ServerStatus } from "../../domain/servers/server-status.js";
import { DomainError } from "../../lib/errors.js";
import type { Db } from "../database.js";
import { orgMembers, orgs, servers, users } from "../schema/index.js";
import { jsonRowReader } from "./json-rows.js";
import { ownerFromColumns, ownerToColumns } from "./owner-columns.js";
import { isUniqueViolation } from "./pg-errors.js";

/** The columns a Server is made of; the lifecycle's bookkeeping (`findRuntimeState`) is apart. */
const serverColumns = {
  id: servers.id,
  ownerUserId: servers.ownerUserId,
  ownerOrgId: servers.ownerOrgId,
  name: servers.name,
  slug: servers.slug,
  description: servers.description,
  source: servers.source,
  transport: servers.transport,
  env: servers.env,
  limits: servers.limits,
  network: servers.network,
  gpu: servers.gpu,
  runtime: servers.runtime,
  desiredState: servers.desiredState,
  status: servers.status,
  statusReason: servers.statusReason,
  sandboxed: servers.sandboxed,
  resolvedVersion: servers.resolvedVersion,
  redeployNeeded: servers.redeployNeeded,
  public: servers.public,
  sessionMode: servers.sessionMode,
  maxSessions: servers.maxSessions,
  createdAt: servers.createdAt,
  updatedAt: servers.updatedAt,
};

type Row = Pick<typeof servers.$inferSelect, keyof typeof serverColumns>;

const serverRows = jsonRowReader<Row>(serverColumns);

/** How the repository reads lists of servers. */
export interface ServerRepositoryOptions {
  /**
   * Read lists as one JSON value built by the database (`jsonRowReader`). It pays off where
   * decoding each value is the cost, on embedded PGlite: listing 1,000 servers takes half the
   * CPU. On PostgreSQL, node-postgres decodes values cheaply and the work would only move to the
   * database server, which every replica shares: there, a plain select.
   */
  jsonLists?: boolean;
}

function toServer(row: Row): Server {
  return {
    id: row.id,
    owner: ownerFromColumns(row),
    name: row.name,
    slug: row.slug,
    description: row.description,
    source: row.source,
    transport: row.transport,
    env: row.env,
    limits: row.limits,
    network: row.network,
    gpu: row.gpu,
    runtime: row.runtime,
    desiredState: row.desiredState,
    status: row.status as ServerStatus,
    statusReason: row.statusReason,
    sandboxed: row.sandboxed,
    resolvedVersion: row.resolvedVersion,
    redeployNeeded: row.redeployNeeded,
    public: row.public,
    sessionMode: row.sessionMode,
    maxSessions: row.maxSessions,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const ownerCondition = (owner: OwnerRef) =>
  owner.kind === "user"
    ? eq(servers.ownerUserId, owner.userId)
    : eq(servers.ownerOrgId, owner.orgId);

export function createServerRepository(
  db: Db,
  options: ServerRepositoryOptions = {},
): ServerRepository {
  /** Servers matching `where`, oldest first (then by id, for a stable order). */
  async function list(where: SQL | undefined): Promise<Server[]> {
    const rows = options.jsonLists
      ? await serverRows.list(db, servers, where, ["createdAt", "id"])
      : await db
          .select(serverColumns)
          .from(servers)
          .where(where)
          .orderBy(asc(servers.createdAt), asc(servers.id));
    return rows.map(toServer);
  }

  return {
    async lockOwnerQuota(owner) {
      const rows =
        owner.kind === "user"
          ? await db
              .select({ quota: users.serverQuota })
              .from(users)
              .where(eq(users.id, owner.userId))
              .for("update")
          : await db
              .select({ quota: orgs.serverQuota })
              .from(orgs)
              .where(eq(orgs.id, owner.orgId))
              .for("update");
      return rows[0]?.quota;
    },
    async countByOwner(owner) {
      const [row] = await db.select({ n: count() }).from(servers).where(ownerCondition(owner));
      return row?.n ?? 0;
    },
    async insert(server) {
      try {
        await db.insert(servers).values({
          ...server,
          ...ownerToColumns(server.owner),
        });
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new DomainError("CONFLICT", `The slug "${server.slug}" is already taken`, {
            fields: [{ field: "slug", detail: "is already taken" }],
          });
        }
        throw err;
      }
    },
    async slugExists(slug) {
      const rows = await db.select({ id: servers.id }).from(servers).where(eq(servers.slug, slug));
      return rows.length > 0;
    },
    async findBySlug(slug) {
      const [row] = await db.select().from(servers).where(eq(servers.slug, slug));
      return row ? toServer(row) : undefined;
    },
    async findById(id) {
      const [row] = await db.select().from(servers).where(eq(servers.id, id));
      return row ? toServer(row) : undefined;
    },
    async findRuntimeState(id) {
      const [row] = await db
        .select({
          generation: servers.generation,
          deployGeneration: servers.deployGeneration,
          deployedGeneration: servers.deployedGeneration,
          currentInstanceId: servers.currentInstanceId,
          restartCount: servers.restartCount,
          restartWindowStart: servers.restartWindowStart,
          runningSince: servers.runningSince,
        })
        .from(servers)
        .where(eq(servers.id, id));
      return row;
    },
    listVisibleTo(userId, all) {
      const memberOrgs = db
        .select({ orgId: orgMembers.orgId })
        .from(orgMembers)
        .where(eq(orgMembers.userId, userId));
      const visible = all
        ? undefined
        : or(
            eq(servers.ownerUserId, userId),
            and(isNotNull(servers.ownerOrgId), inArray(servers.ownerOrgId, memberOrgs)),
          );
      return list(visible);
    },
    listPublic() {
      return list(eq(servers.public, true));
    },
    async listIdsWanting(state) {
      const rows = await db
        .select({ id: servers.id })
        .from(servers)
        .where(eq(servers.desiredState, state));
      return rows.map((r) => r.id);
    },
    async listAllIds() {
      return (await db.select({ id: servers.id }).from(servers)).map((r) => r.id);
    },
    async listIdsNeedingReconcile() {
      const rows = await db
        .select({ id: servers.id })
        .from(servers)
        .where(ne(servers.status, "error"));
      return rows.map((r) => r.id);
    },
    async update(id, patch, now) {
      const [row] = await db
        .update(servers)
        .set({ ...patch, updatedAt: now })
        .where(eq(servers.id, id))
        .returning();
      return row ? toServer(row) : undefined;
    },
    async updateRuntimeState(id, patch) {
      if (Object.keys(patch).length === 0) return;
      await db.update(servers).set(patch).where(eq(servers.id, id));
    },
    async bumpGeneration(id, redeploy, now) {
      await db
        .update(servers)
        .set({
          generation: sql`${servers.generation} + 1`,
          ...(redeploy ? { deployGeneration: sql`${servers.deployGeneration} + 1` } : {}),
          updatedAt: now,
        })
        .where(eq(servers.id, id));
    },
    async compareAndSetStatus(id, from, to, reason, now) {
      const rows = await db
        .update(servers)
        .set({ status: to, statusReason: reason, updatedAt: now })
        .where(and(eq(servers.id, id), eq(servers.status, from)))
        .returning({ id: servers.id });
      return rows.length > 0;
    },
    async delete(id) {
      await db.delete(servers).where(eq(servers.id, id));
    },
  };
}
