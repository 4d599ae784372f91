import type { Clock } from "../../lib/clock.js";
import type { Store } from "../store.js";
import type { ServerEvent, ServerEventBus } from "./ports.js";
import type { Server } from "./server.js";
import { assertTransition, type ServerStatus } from "./server-status.js";

/** Kinds of usage events; `status` records every status change as well. */
export type ServerEventKind =
  | "create"
  | "update"
  | "deploy"
  | "install"
  | "pull"
  | "start"
  | "stop"
  | "restart"
  | "crash"
  | "delete"
  | "status";

/**
 * Records what happens to servers: usage events and status changes, stored and published.
 * Status changes go through the transition table; an illegal one throws.
 */
export function createServerActivity(deps: { store: Store; bus: ServerEventBus; clock: Clock }) {
  const { store, bus, clock } = deps;

  async function record(
    server: Pick<Server, "id" | "owner">,
    kind: ServerEventKind,
    details: Record<string, unknown> = {},
  ): Promise<ServerEvent> {
    const event = await store.serverEvents.insert({
      serverId: server.id,
      owner: server.owner,
      kind,
      details,
      time: clock.now(),
    });
    bus.publishEvent(event);
    return event;
  }

  return {
    record,

    /**
     * The last status change of a deleted server, `removing` → `removed`, so that live views drop
     * it. Recorded just before the server's row is deleted, which deletes the record with it: it
     * reaches live streams only. `removed` is not a status a server can be read in.
     */
    async announceRemoved(server: Pick<Server, "id" | "owner">) {
      await record(server, "status", { from: "removing", to: "removed" });
    },

    /**
     * Moves a server to `to` if the table allows it from its current status. Returns false (and
     * changes nothing) when the server is gone or another writer changed the status meanwhile.
     */
    async setStatus(serverId: string, to: ServerStatus, reason: string | null = null) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const server = await store.servers.findById(serverId);
        if (!server) return false;
        if (server.status === to && server.statusReason === reason) return true;
        if (server.status === "removing" && to !== "removing") return false;
        assertTransition(server.status, to);
        if (
          await store.servers.compareAndSetStatus(serverId, server.status, to, reason, clock.now())
        ) {
          await record(server, "status", {
            from: server.status,
            to,
            ...(reason ? { reason } : {}),
          });
          return true;
        }
      }
      return false;
    },
  };
}

export type ServerActivity = ReturnType<typeof createServerActivity>;
