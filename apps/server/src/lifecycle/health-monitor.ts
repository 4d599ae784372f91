import type { ServerActivity } from "../domain/servers/server-activity.js";
import type { Store } from "../domain/store.js";
import type { Logger } from "../lib/logger.js";
import { canConnect } from "./readiness.js";
import type { RuntimeRegistry } from "./runtime-registry.js";

export interface HealthOptions {
  intervalMs: number;
  /** Consecutive failed checks before a running server is called unhealthy. */
  failuresBeforeUnhealthy: number;
}

export const DEFAULT_HEALTH: HealthOptions = { intervalMs: 15_000, failuresBeforeUnhealthy: 3 };

/**
 * Watches servers that should be serving. An http server whose instance is up but stops accepting
 * connections turns `unhealthy` (and back to `running` when it answers again). A stdio server's
 * only channel is its MCP stream, which belongs to its clients; its health is its process being
 * alive, which the supervisor already watches.
 */
export function createHealthMonitor(deps: {
  store: Store;
  runtimes: RuntimeRegistry;
  activity: ServerActivity;
  logger: Logger;
  options: HealthOptions;
  /** Instances this process supervises: only those are judged here. */
  watched: () => ReadonlySet<string>;
}) {
  const failures = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  async function check(serverId: string) {
    const server = await deps.store.servers.findById(serverId);
    const state = await deps.store.servers.findRuntimeState(serverId);
    if (server?.transport.type !== "http") return;
    if (server.status !== "running" && server.status !== "unhealthy") return;
    const instanceId = state?.currentInstanceId;
    if (!instanceId || !deps.watched().has(instanceId)) return;
    const runtime = deps.runtimes.get(server.runtime);
    const ok = await runtime.address(instanceId).then(
      ({ host, port }) => canConnect(host, port),
      () => false,
    );
    if (ok) {
      failures.delete(serverId);
      if (server.status === "unhealthy") await deps.activity.setStatus(serverId, "running");
      return;
    }
    const count = (failures.get(serverId) ?? 0) + 1;
    failures.set(serverId, count);
    if (count >= deps.options.failuresBeforeUnhealthy && server.status === "running") {
      await deps.activity.setStatus(
        serverId,
        "unhealthy",
        `not accepting connections on port ${server.transport.port} (${count} checks in a row)`,
      );
    }
  }

  async function checkAll() {
    const ids = await deps.store.servers.listIdsWanting("running");
    for (const id of [...failures.keys()]) if (!ids.includes(id)) failures.delete(id);
    await Promise.all(
      ids.map((id) =>
        check(id).catch((err) => deps.logger.warn({ err, serverId: id }, "health check failed")),
      ),
    );
  }

  return {
    checkAll,
    start() {
      timer = setInterval(() => void checkAll(), deps.options.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
