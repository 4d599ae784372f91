import { Gauge, type Registry } from "prom-client";
import type { ServerStatsSample } from "../domain/servers/ports.js";
import type { Store } from "../domain/store.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { InstanceStats } from "../runtimes/runtime.js";
import type { RuntimeRegistry } from "./runtime-registry.js";

/** How often old samples are deleted, at most. */
const PRUNE_EVERY_MS = 3_600_000;

export interface StatsSamplerOptions {
  /** Every this often (on the worker), each running server is sampled and the sample stored. */
  intervalMs: number;
  /** Stored samples older than this are deleted. */
  retentionMs: number;
}

export const DEFAULT_STATS_SAMPLING: StatsSamplerOptions = {
  intervalMs: 15_000,
  retentionMs: 7 * 86_400_000,
};

/**
 * Samples CPU and memory of every running server's instance, keeps the latest sample for the API,
 * exports them as Prometheus gauges (`mcphost_server_cpu_percent`, `mcphost_server_memory_bytes`)
 * and, while started, stores one sample per server per interval (`store.serverStats`) for charts.
 */
export function createStatsSampler(deps: {
  store: Store;
  runtimes: RuntimeRegistry;
  registry: Registry;
  logger: Logger;
  clock: Clock;
  options?: StatsSamplerOptions;
}) {
  const options = deps.options ?? DEFAULT_STATS_SAMPLING;
  let lastPrune = 0;
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

  /**
   * Samples every server meant to be running once, stores the samples and, at most hourly, deletes
   * those past retention. The timer calls it each interval; tests call it directly.
   */
  async function sampleAll(): Promise<ServerStatsSample[]> {
    const ids = await deps.store.servers.listIdsWanting("running");
    for (const id of [...latest.keys()]) {
      if (!ids.includes(id)) {
        latest.delete(id);
        cpu.remove({ server_id: id });
        memory.remove({ server_id: id });
      }
    }
    // Docker takes about a second per sample: sample in parallel.
    const taken = await Promise.all(
      ids.map(async (serverId) => {
        const stats = await sample(serverId);
        return stats ? { serverId, ...stats } : undefined;
      }),
    );
    const samples = taken.filter((s) => s !== undefined);
    await deps.store.serverStats.insertMany(samples);
    const now = deps.clock.now().getTime();
    if (now - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now;
      await deps.store.serverStats.deleteOlderThan(new Date(now - options.retentionMs));
    }
    return samples;
  }

  return {
    sample,
    sampleAll,
    latest: (serverId: string) => latest.get(serverId),
    start() {
      const every = options.intervalMs;
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
