import { INSTALLATION_LABEL, MANAGED_BY_LABEL, SERVER_ID_LABEL } from "../domain/servers/server.js";
import type { LifecycleQueue } from "../domain/servers/server-service.js";
import type { Store } from "../domain/store.js";
import type { Logger } from "../lib/logger.js";
import type { RuntimeRegistry } from "./runtime-registry.js";

/**
 * Compares what the database wants with what the runtimes really run, found by labels. Orphans
 * (instances of servers that no longer exist) are removed here; every existing server gets a
 * converge job, which adopts, starts, stops or removes as its row says. Runs at startup and then
 * periodically, so drift (a container removed by hand) heals.
 */
export function createReconciler(deps: {
  store: Store;
  runtimes: RuntimeRegistry;
  lifecycle: LifecycleQueue;
  logger: Logger;
  installationId: () => string;
}) {
  return {
    async reconcile(): Promise<{ orphansRemoved: number; serversQueued: number }> {
      const known = new Set(await deps.store.servers.listAllIds());
      let orphansRemoved = 0;
      for (const runtime of deps.runtimes.all()) {
        const availability = await runtime.availability();
        if (!availability.available) continue;
        // Only this installation's instances: another one on the same host is not ours to judge.
        const ours = { [MANAGED_BY_LABEL]: "mcphost", [INSTALLATION_LABEL]: deps.installationId() };
        for (const instance of await runtime.list(ours)) {
          const serverId = instance.labels[SERVER_ID_LABEL] ?? instance.serverId;
          if (known.has(serverId)) continue;
          deps.logger.info(
            { serverId, instanceId: instance.instanceId, runtime: runtime.kind },
            "removing orphaned instance",
          );
          await runtime
            .remove(instance.instanceId)
            .catch((err) =>
              deps.logger.warn(
                { err, instanceId: instance.instanceId },
                "could not remove orphaned instance",
              ),
            );
          orphansRemoved++;
        }
      }
      // A server in `error` waits for its user (start, restart, redeploy): retrying on every pass
      // would repeat a failed pull or install forever.
      const queued = await deps.store.servers.listIdsNeedingReconcile();
      for (const serverId of queued) await deps.lifecycle.converge(serverId, "reconcile");
      return { orphansRemoved, serversQueued: queued.length };
    },
  };
}
