import type { ServerEventBus } from "../domain/servers/ports.js";
import type { Store } from "../domain/store.js";
import type { Logger } from "../lib/logger.js";
import type { SessionInstances } from "../lifecycle/session-instances.js";
import type { Gateway } from "./gateway.js";
import type { Upstreams } from "./upstreams.js";

/**
 * How often idle sessions are looked for: a quarter of the idle timeout (so a session is reclaimed
 * at most 1.25 timeouts after its last use), between 1 s and 30 s.
 */
export function reapPeriodMs(idleMs: number): number {
  return Math.min(30_000, Math.max(1_000, Math.round(idleMs / 4)));
}
/** Statuses after which a server's sessions and spare are gone. */
const ENDED = new Set(["stopping", "stopped", "removing", "error", "crashloop"]);

/**
 * What the gateway does on its own: keeps a warm spare for each running stdio server in session
 * mode, ends the sessions of servers that stop, reaps idle sessions, and at startup removes the
 * session instances a previous process left behind (their clients went with it).
 *
 * The spare is started as soon as the server is `starting` (its package is installed by then;
 * the lifecycle asks for it too, as its answer to a ping makes the server `running`), so the
 * first client, who connects once the server is `running`, does not wait for a cold start.
 */
export function createGatewayBackground(deps: {
  gateway: Gateway;
  upstreams: Upstreams;
  instances: SessionInstances;
  store: Store;
  bus: ServerEventBus;
  logger: Logger;
  installationLabels: () => Record<string, string>;
  /** The session idle timeout; the reaper's period follows from it (`reapPeriodMs`). */
  idleMs: number;
}) {
  const { gateway, upstreams, store, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  async function warmIfWanted(serverId: string) {
    const server = await store.servers.findById(serverId);
    if (server?.status !== "running" && server?.status !== "starting") return;
    // A crash's `starting` (with its reason) waits out the backoff: the spare comes with the restart.
    if (server.status === "starting" && server.statusReason) return;
    if (server.transport.type !== "stdio" || server.sessionMode !== "session") return;
    // A restart or redeploy makes the old spare stale: it is replaced by one of the new generation.
    await upstreams.pool.refresh(server);
  }

  return {
    async start() {
      const removed = await deps.instances.removeLeftovers(deps.installationLabels());
      if (removed > 0) logger.info({ removed }, "removed session instances of a previous run");
      unsubscribe = deps.bus.onEvent((event) => {
        if (event.kind !== "status") return;
        const to = String(event.details.to);
        if (to === "running" || to === "starting") {
          void warmIfWanted(event.serverId).catch((err) =>
            logger.warn({ err, serverId: event.serverId }, "could not pre-warm"),
          );
        } else if (ENDED.has(to)) {
          void gateway.endServerSessions(event.serverId);
        }
      });
      for (const serverId of await store.servers.listIdsWanting("running")) {
        await warmIfWanted(serverId).catch(() => {});
      }
      timer = setInterval(() => {
        gateway.reapIdle().catch((err) => logger.warn({ err }, "could not reap idle sessions"));
      }, reapPeriodMs(deps.idleMs));
      timer.unref();
    },

    async stop() {
      if (timer) clearInterval(timer);
      unsubscribe?.();
      await gateway.stop();
    },
  };
}
