import { expect, test } from "vitest";
import { toInstanceStats } from "./container-stats.js";

const time = new Date("2026-01-01T00:00:00Z");

test("cpu is the share of system time times the cores, in percent of one core", () => {
  const stats = toInstanceStats(
    {
      cpu_stats: { cpu_usage: { total_usage: 3_000 }, system_cpu_usage: 20_000, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
      memory_stats: { usage: 100, stats: { total_inactive_file: 30 } },
    },
    time,
  );
  // 2000 of 10000 system ticks over 4 cores: 0.8 of one core.
  expect(stats).toEqual({ cpuPercent: 80, memoryBytes: 70, time });
});

test("without an earlier reading cpu is 0; memory falls back to v2 and cache fields", () => {
  expect(
    toInstanceStats({
      cpu_stats: { cpu_usage: { total_usage: 5 }, system_cpu_usage: 5 },
      precpu_stats: {},
      memory_stats: { usage: 100, stats: { inactive_file: 40 } },
    }),
  ).toMatchObject({ cpuPercent: 0, memoryBytes: 60 });
  expect(toInstanceStats({ memory_stats: { usage: 100, stats: { cache: 10 } } }).memoryBytes).toBe(
    90,
  );
  expect(toInstanceStats({}).memoryBytes).toBe(0);
});

test("cores fall back to the per-cpu list", () => {
  const stats = toInstanceStats({
    cpu_stats: { cpu_usage: { total_usage: 20, percpu_usage: [1, 1] }, system_cpu_usage: 200 },
    precpu_stats: { cpu_usage: { total_usage: 10 }, system_cpu_usage: 100 },
  });
  expect(stats.cpuPercent).toBe(20);
});
