import { access, mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ResourceLimits } from "../../domain/servers/server.js";

/**
 * Per-instance cgroups that enforce memory, CPU and pids limits.
 *
 * Layout: cgroup v2 (a unified hierarchy, `<root>/cgroup.controllers` exists) uses
 * `<root>/mcphost/<instanceId>`; cgroup v1 uses `<root>/<controller>/mcphost/<instanceId>` for each
 * of memory, cpu and pids that is mounted. The paths depend only on the instance id, so a later
 * control-plane process finds (and removes) the cgroups of instances it did not start.
 */

const GROUP_PARENT = "mcphost";
const CPU_PERIOD_US = 100_000;
const MIB = 1024 * 1024;

export interface CgroupSupport {
  version: 1 | 2;
  /** v2: the one parent folder. v1: the parent folder per mounted controller. */
  parents: { controller: "memory" | "cpu" | "pids" | "unified"; dir: string }[];
  /** Controllers that could not be used, for the "limits not enforced" message. */
  missing: string[];
}

/**
 * Finds which cgroup controllers this process may use, creating the `mcphost` parent groups.
 * Returns the reason as a string when none are usable (not root, read-only mount, no cgroupfs).
 */
export async function detectCgroups(root: string): Promise<CgroupSupport | string> {
  try {
    if (await exists(join(root, "cgroup.controllers"))) return await detectV2(root);
    return await detectV1(root);
  } catch (error) {
    return `cgroups not usable under ${root}: ${(error as Error).message}`;
  }
}

async function detectV2(root: string): Promise<CgroupSupport | string> {
  const available = (await readFile(join(root, "cgroup.controllers"), "utf8")).split(/\s+/);
  const wanted = ["memory", "cpu", "pids"].filter((c) => available.includes(c));
  if (wanted.length === 0) return `cgroup v2 at ${root} offers none of memory, cpu, pids`;
  const parent = join(root, GROUP_PARENT);
  const enable = wanted.map((c) => `+${c}`).join(" ");
  // Controllers must be enabled on every level above the instance groups.
  await writeFile(join(root, "cgroup.subtree_control"), enable);
  await mkdir(parent, { recursive: true });
  await writeFile(join(parent, "cgroup.subtree_control"), enable);
  return {
    version: 2,
    parents: [{ controller: "unified", dir: parent }],
    missing: ["memory", "cpu", "pids"].filter((c) => !wanted.includes(c)),
  };
}

async function detectV1(root: string): Promise<CgroupSupport | string> {
  const parents: CgroupSupport["parents"] = [];
  const missing: string[] = [];
  for (const controller of ["memory", "cpu", "pids"] as const) {
    const mount = join(root, controller);
    if (!(await exists(join(mount, "cgroup.procs")))) {
      missing.push(controller);
      continue;
    }
    const dir = join(mount, GROUP_PARENT);
    await mkdir(dir, { recursive: true });
    parents.push({ controller, dir });
  }
  if (parents.length === 0) return `no cgroup v1 memory, cpu or pids hierarchy under ${root}`;
  return { version: 1, parents, missing };
}

/** One instance's cgroup (one folder per v1 controller, or one v2 folder). */
export interface InstanceCgroup {
  /** The `cgroup.procs` files a process writes its pid to, to join the group. */
  procsFiles: string[];
  /** Memory charged to the group, or undefined without the memory controller. */
  memoryBytes(): Promise<number | undefined>;
  /** Whether the kernel OOM-killed something in the group. */
  oomKilled(): Promise<boolean>;
  /** Pids currently in the group (to kill escaped descendants). */
  pids(): Promise<number[]>;
  /** Deletes the group; retries briefly while the kernel still counts exiting processes. */
  remove(): Promise<void>;
}

export function instanceCgroup(support: CgroupSupport, instanceId: string): InstanceCgroup {
  const dirs = support.parents.map((p) => ({ ...p, dir: join(p.dir, instanceId) }));
  const memoryDir = dirs.find((d) => d.controller === "memory" || d.controller === "unified")?.dir;
  const v2 = support.version === 2;
  const procsFiles = dirs.map((d) => join(d.dir, "cgroup.procs"));
  return {
    procsFiles,
    async memoryBytes() {
      if (!memoryDir) return undefined;
      const file = v2 ? "memory.current" : "memory.usage_in_bytes";
      const text = await readFile(join(memoryDir, file), "utf8").catch(() => undefined);
      return text === undefined ? undefined : Number(text.trim());
    },
    async oomKilled() {
      if (!memoryDir) return false;
      const file = v2 ? "memory.events" : "memory.oom_control";
      const text = await readFile(join(memoryDir, file), "utf8").catch(() => "");
      return Number(/^oom_kill (\d+)/m.exec(text)?.[1] ?? 0) > 0;
    },
    async pids() {
      const all = await Promise.all(procsFiles.map((f) => readFile(f, "utf8").catch(() => "")));
      return [...new Set(all.join("\n").split("\n").filter(Boolean).map(Number))];
    },
    async remove() {
      for (const { dir } of dirs) {
        for (let attempt = 0; ; attempt++) {
          try {
            await rmdir(dir);
            break;
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "ENOENT" || attempt >= 20) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }
    },
  };
}

/** Creates the instance's group(s) and writes its limits. */
export async function createInstanceCgroup(
  support: CgroupSupport,
  instanceId: string,
  limits: ResourceLimits,
): Promise<InstanceCgroup> {
  const cpuQuotaUs = Math.max(1_000, Math.round(limits.cpus * CPU_PERIOD_US));
  const memoryBytes = String(limits.memoryMb * MIB);
  for (const { controller, dir: parent } of support.parents) {
    const dir = join(parent, instanceId);
    await mkdir(dir, { recursive: true });
    const set = (file: string, value: string) => writeFile(join(dir, file), value);
    if (controller === "unified") {
      const available = await readFile(join(dir, "cgroup.controllers"), "utf8");
      if (available.includes("memory")) {
        await set("memory.max", memoryBytes);
        // Without this the group would swap instead of hitting its limit.
        await set("memory.swap.max", "0").catch(() => {});
      }
      if (available.includes("cpu")) await set("cpu.max", `${cpuQuotaUs} ${CPU_PERIOD_US}`);
      if (available.includes("pids")) await set("pids.max", String(limits.pids));
    } else if (controller === "memory") {
      await set("memory.limit_in_bytes", memoryBytes);
      // Only present with swap accounting; must not be below limit_in_bytes, so written after it.
      await set("memory.memsw.limit_in_bytes", memoryBytes).catch(() => {});
    } else if (controller === "cpu") {
      await set("cpu.cfs_period_us", String(CPU_PERIOD_US));
      await set("cpu.cfs_quota_us", String(cpuQuotaUs));
    } else {
      await set("pids.max", String(limits.pids));
    }
  }
  return instanceCgroup(support, instanceId);
}

/**
 * Runs `command` inside the cgroup from its very first instruction, with no race: a tiny shell
 * writes its own pid into each `cgroup.procs` and then execs the command (same pid, same
 * environment). Exit code 125 means joining the cgroup failed.
 */
export function wrapInCgroup(
  procsFiles: string[],
  command: string,
  args: string[],
): { command: string; args: string[] } {
  if (procsFiles.length === 0) return { command, args };
  const script =
    'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; n=$((n-1)); shift; done; exec "$@"';
  return {
    command: "/bin/sh",
    args: [
      "-c",
      script,
      "mcphost-cgroup-enter",
      String(procsFiles.length),
      ...procsFiles,
      command,
      ...args,
    ],
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
