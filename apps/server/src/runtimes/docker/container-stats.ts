import type { InstanceStats } from "../runtime.js";

/** The fields of the engine's stats document used here (cgroup v1 and v2 spell memory apart). */
export interface RawStats {
  read?: string;
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; stats?: Record<string, number | undefined> };
}

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/**
 * CPU in percent of one core (two busy cores = 200), computed as `docker stats` does from the two
 * readings the engine returns; memory without reclaimable page cache, also as `docker stats` does.
 */
export function toInstanceStats(raw: RawStats, now: Date = new Date()): InstanceStats {
  return { cpuPercent: cpuPercent(raw), memoryBytes: memoryBytes(raw), time: now };
}

function cpuPercent(raw: RawStats): number {
  const cpu = raw.cpu_stats;
  const pre = raw.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  // No earlier reading (first sample, or just started): no rate to report yet.
  if (!pre?.system_cpu_usage || cpuDelta <= 0 || systemDelta <= 0) return 0;
  const cores = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  return (cpuDelta / systemDelta) * cores * 100;
}

function memoryBytes(raw: RawStats): number {
  const usage = raw.memory_stats?.usage ?? 0;
  const stats = raw.memory_stats?.stats ?? {};
  // cgroup v1 reports total_inactive_file, v2 inactive_file; older engines only cache.
  const reclaimable = stats.total_inactive_file ?? stats.inactive_file ?? stats.cache ?? 0;
  return Math.max(0, usage - (reclaimable < usage ? reclaimable : 0));
}
