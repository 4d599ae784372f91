import { Gauge, type Registry } from "prom-client";
import type { Store } from "../domain/store.js";
import type { Logger } from "../lib/logger.js";
import type { InstanceStats } from "../runtimes/runtime.js";
import type { RuntimeRegistry } from "./runtime-registry.js";

/**
 * Samples CPU and memory of every running server's instance, keeps the latest sample for the API
 * and exports them as Prometheus gauges (`mcphost_server_cpu_percent`, `mcphost_server_memory_bytes`).
 */
export function createStatsSampler(deps: {
  store: Store;
  runtimes: RuntimeRegistry;
  registry: Registry;
  logger: Logger;
  intervalMs?: number;
}) {
  const latest = new Map<string, InstanceStats>();
  const cpu = new Gauge({
    name: "mcphost_server_cpu_percent",
    help: "CPU use of a server's instance, percent of one core",
    labelNames: ["server_id"] as const,
    registers: [deps.registry],
  });
  const memory = new Gauge({
    name: "mcphost_server_memory_bytes",
    help: "Memory use of a server's instance in bytes",
    labelNames: ["server_id"] as const,
    registers: [deps.registry],
  });
  let timer: NodeJS.Timeout | undefined;

  /** Samples one server now; undefined when it has no running instance. */
  async function sample(serverId: string): Promise<InstanceStats | undefined> {
    const server = await deps.store.servers.findById(serverId);
    const state = await deps.store.servers.findRuntimeState(serverId);
    if (!server || !state?.currentInstanceId) return undefined;
    const stats = await deps.runtimes
      .get(server.runtime)
      .stats(state.currentInstanceId)
      .catch(() => undefined);
    if (stats) {
      latest.set(serverId, stats);
      cpu.set({ server_id: serverId }, stats.cpuPercent);
      memory.set({ server_id: serverId }, stats.memoryBytes);
    }
    return stats;
  }

  async function sampleAll() {
    const ids = await deps.store.servers.listIdsWanting("running");
    for (const id of [...latest.keys()]) {
      if (!ids.includes(id)) {
        latest.delete(id);
        cpu.remove({ server_id: id });
        memory.remove({ server_id: id });
      }
    }
    // Docker takes about a second per sample: sample in parallel.
    await Promise.all(ids.map((id) => sample(id)));
  }

  return {
    sample,
    latest: (serverId: string) => latest.get(serverId),
    start() {
      const every = deps.intervalMs ?? 15_000;
      timer = setInterval(
        () => void sampleAll().catch((err) => deps.logger.warn({ err }, "stats sampling failed")),
        every,
      );
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}

export type StatsSampler = ReturnType<typeof createStatsSampler>;
