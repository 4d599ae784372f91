import type { ServerEventBus, ServerRepository } from "../domain/servers/ports.js";
import type { Server } from "../domain/servers/server.js";
import type { Clock } from "../lib/clock.js";
import { createLookupCache } from "../lib/lookup-cache.js";
import { SERVING } from "./upstreams.js";

/**
 * How long this process trusts a server read for the MCP routes. Changes made in this process
 * are seen at once (they publish a server event after committing); made by another process (a
 * separate worker, another replica), within this bound.
 */
export const SERVER_LOOKUP_TTL_MS = 2_000;
const SERVER_LOOKUP_MAX_ENTRIES = 1_000;

/** Finds the server an MCP request names, from memory on the hot path. */
export interface ServerLookup {
  findBySlug(slug: string): Promise<Server | undefined>;
  /** Stops listening to server events. */
  close(): void;
}

/**
 * Servers by slug for `/mcp/{slug}`, which otherwise reads the database on every MCP call.
 * - Only serving servers (`running`, `unhealthy`) are cached: any other status is read afresh,
 *   so a stopped server answers 503 and a deleted one 404 as soon as the database says so, even
 *   though a deletion publishes its last event just before the row goes.
 * - Every server event (status, update, delete, ...) drops that server; a `create` also drops
 *   cached "no such slug" answers. Events are published after their change is committed.
 * - "No such slug" is cached too, so probing unknown slugs costs one read per slug and TTL.
 */
export function createServerLookup(deps: {
  servers: Pick<ServerRepository, "findBySlug">;
  bus: Pick<ServerEventBus, "onEvent">;
  clock: Clock;
}): ServerLookup {
  const cache = createLookupCache<Server>({
    ttlMs: SERVER_LOOKUP_TTL_MS,
    maxEntries: SERVER_LOOKUP_MAX_ENTRIES,
    clock: deps.clock,
    keep: (server) => server === undefined || SERVING.has(server.status),
  });
  const unsubscribe = deps.bus.onEvent((event) => {
    cache.deleteWhere((server) =>
      server === undefined ? event.kind === "create" : server.id === event.serverId,
    );
  });
  return {
    findBySlug: (slug) => cache.get(slug, () => deps.servers.findBySlug(slug)),
    close: unsubscribe,
  };
}
