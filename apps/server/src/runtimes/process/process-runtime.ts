import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { Logger } from "../../lib/logger.js";
import {
  type InstanceInfo,
  type InstanceStats,
  type LogSink,
  type Runtime,
  RuntimeError,
  type StdioStreams,
} from "../runtime.js";
import { instanceCgroup } from "./cgroup-limits.js";
import {
  adoptScanned,
  describeHandle,
  type FinishExit,
  followChild,
  fromRecord,
  type InstanceHandle,
  interpretExit,
  recordOf,
  settlesWithin,
} from "./instance-handle.js";
import { createRecordStore } from "./instance-records.js";
import { hasLabels, instanceMarkers, scanInstances } from "./instance-scan.js";
import { assertSupported, planLaunch } from "./launch-plan.js";
import { createLimits } from "./limits.js";
import { systemLine } from "./output-lines.js";
import { treeUsage } from "./proc-stats.js";
import { askToStop, killAll, killLeftovers } from "./process-signals.js";
import { detectSystemDirs, type SystemDir } from "./sandbox-args.js";

// Main wiring needs both: `createProcessRuntime({ bwrapPath: await findBubblewrap(PATH), ... })`.
export { findBubblewrap } from "./sandbox-args.js";

import { ENV_ARGS_FD } from "./sandbox-args.js";

export interface ProcessRuntimeOptions {
  /** Folder for this runtime's own bookkeeping (instance records); never mounted into sandboxes. */
  stateDir: string;
  /** bubblewrap's path (see `findBubblewrap`), or null to run servers without a sandbox. */
  bwrapPath: string | null;
  /** The node binary that runs `node-package` programs (e.g. `process.execPath`). */
  nodePath: string;
  logger: Logger;
  /** Where the cgroup filesystem is mounted; default /sys/fs/cgroup. */
  cgroupRoot?: string | undefined;
}

const NO_SANDBOX_REASON = "bubblewrap not found: servers run without a sandbox";
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** Instance ids name folders and cgroups, so they must not contain path syntax. */
const INSTANCE_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Runs servers as host processes, each in a bubblewrap sandbox when bubblewrap is available, with
 * memory/CPU/pids limits from per-instance cgroups where the host allows. See launch-plan.ts for
 * what a server sees, limits.ts for what is enforced, instance-scan.ts for how instances are found.
 */
export function createProcessRuntime(options: ProcessRuntimeOptions): Runtime {
  const { bwrapPath, logger } = options;
  const sandboxed = bwrapPath !== null;
  const instances = new Map<string, InstanceHandle>();
  const records = createRecordStore(options.stateDir);
  const limits = createLimits(options.cgroupRoot ?? "/sys/fs/cgroup", logger);
  let systemDirs: Promise<SystemDir[]> | undefined;

  /** Cleans up after an exit (cgroup, leftovers) and remembers it. */
  const finishExit =
    (sink: LogSink | undefined): FinishExit =>
    async (handle, raw) => {
      const exit = interpretExit(raw, (await handle.cgroup?.oomKilled()) ?? false);
      // Like a container, an instance ends with its main process: nothing it started survives.
      killLeftovers(handle, await handle.cgroup?.pids());
      await handle.cgroup?.remove();
      systemLine(sink, exit.reason ?? `exited with code ${exit.exitCode}`);
      // Not after remove(), nor for a stale handle replaced by a newer one.
      if (instances.get(handle.instanceId) === handle) {
        await records
          .write(recordOf(handle, exit))
          .catch((error) => logger.warn({ err: error }, "could not record an instance's exit"));
      }
      return exit;
    };

  /** Adds instances found in /proc or in records that this process does not know yet. */
  async function refresh(): Promise<void> {
    const [scanned, saved] = await Promise.all([scanInstances(), records.readAll()]);
    const support = await limits.support();
    // A live process beats a record: the record may only look "exited" because an earlier scan
    // missed the process.
    const replaceable = (id: string) => (instances.get(id)?.source ?? "record") === "record";
    for (const found of scanned) {
      if (!replaceable(found.instanceId)) continue;
      const cgroup = support ? instanceCgroup(support, found.instanceId) : undefined;
      const handle = await adoptScanned(found, cgroup, finishExit(undefined));
      if (replaceable(found.instanceId)) instances.set(found.instanceId, handle);
    }
    for (const record of saved) {
      if (!instances.has(record.instanceId)) instances.set(record.instanceId, fromRecord(record));
    }
  }

  async function find(instanceId: string): Promise<InstanceHandle | undefined> {
    if (!INSTANCE_ID.test(instanceId)) return undefined;
    if (!instances.has(instanceId)) await refresh();
    return instances.get(instanceId);
  }

  async function mustFind(instanceId: string): Promise<InstanceHandle> {
    const handle = await find(instanceId);
    if (!handle) throw new RuntimeError("NOT_FOUND", `no instance ${instanceId}`);
    return handle;
  }

  async function stop(instanceId: string, stopOptions: { timeoutMs?: number } = {}) {
    const handle = await mustFind(instanceId);
    if (handle.exit) return;
    const target = { pid: handle.pid, sandboxed: handle.sandboxed };
    if (!handle.gone) await askToStop(target);
    const timeoutMs = stopOptions.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    if (await settlesWithin(handle.exited, timeoutMs)) return;
    if (!handle.gone) await killAll(target, await handle.cgroup?.pids());
    if (!(await settlesWithin(handle.exited, 5_000))) {
      throw new RuntimeError("START_FAILED", `instance ${instanceId} did not exit after SIGKILL`);
    }
  }

  return {
    kind: "process",

    async availability() {
      const limitsProblem = await limits.problem();
      const caveats = [sandboxed ? undefined : NO_SANDBOX_REASON, limitsProblem].filter(Boolean);
      return {
        available: true,
        sandboxed,
        // Passed through as device nodes inside the sandbox (see sandbox-args.ts).
        gpu: existsSync("/dev/nvidia0") || existsSync("/dev/dri"),
        reason: caveats.length > 0 ? caveats.join("; ") : undefined,
      };
    },

    async prepare(spec) {
      assertSupported(spec); // Nothing to fetch: packages are installed by the deploy job.
    },

    async start(spec, sink) {
      if (!INSTANCE_ID.test(spec.instanceId)) {
        throw new RuntimeError("START_FAILED", `invalid instance id: ${spec.instanceId}`);
      }
      assertSupported(spec);
      // Known here, or recorded by an earlier process (every instance is recorded at its start).
      // Not `find`: for an id it does not know, that scans all of /proc, on every start.
      if (instances.has(spec.instanceId) || (await records.has(spec.instanceId))) {
        throw new RuntimeError("START_FAILED", `instance ${spec.instanceId} already exists`);
      }
      await mkdir(spec.filesDir, { recursive: true });
      systemDirs ??= detectSystemDirs();
      const plan = await planLaunch(spec, {
        bwrapPath,
        nodePath: options.nodePath,
        systemDirs: await systemDirs,
        markers: instanceMarkers(spec, sandboxed),
      });
      if (!sandboxed) {
        logger.warn({ instanceId: spec.instanceId }, `starting a server: ${NO_SANDBOX_REASON}`);
        systemLine(sink, `${NO_SANDBOX_REASON}: files, network and processes are not isolated`);
      }
      const applied = await limits.apply(spec, sink);
      const launch = applied.wrap(plan.command, plan.args);
      const child = spawn(launch.command, launch.args, {
        cwd: plan.cwd,
        env: plan.env,
        stdio: [
          spec.transport.type === "stdio" ? "pipe" : "ignore",
          "pipe",
          "pipe",
          ...(plan.fdArgs ? (["pipe"] as const) : []),
        ],
        // Its own process group: a terminal's Ctrl-C to the control plane does not reach servers,
        // and stop() can signal the whole group.
        detached: true,
      });
      const spawnError = await new Promise<Error | undefined>((resolve) => {
        child.once("spawn", () => resolve(undefined));
        child.once("error", resolve);
      });
      if (spawnError || child.pid === undefined) {
        await applied.cgroup?.remove();
        throw new RuntimeError("START_FAILED", `could not start: ${spawnError?.message}`);
      }
      if (plan.fdArgs) {
        const pipe = child.stdio[ENV_ARGS_FD] as import("node:stream").Writable;
        // An instance removed before bwrap read its arguments resets the pipe (ECONNRESET):
        // unheard, that error would crash the control plane.
        pipe.on("error", () => {});
        pipe.end(`${plan.fdArgs.join("\0")}\0`);
      }
      // Writing to a server that has exited fails with EPIPE; that must not crash the control plane.
      child.stdin?.on("error", () => {});
      child.stdout?.on("error", () => {});
      const handle = followChild(
        {
          instanceId: spec.instanceId,
          serverId: spec.serverId,
          labels: spec.labels,
          transport: spec.transport,
          sandboxed,
          startedAt: new Date(),
          child,
          cgroup: applied.cgroup,
        },
        child as typeof child & { pid: number },
        sink,
        finishExit(sink),
      );
      instances.set(spec.instanceId, handle);
      systemLine(sink, `started pid ${child.pid} (${sandboxed ? "sandboxed" : "not sandboxed"})`);
      await records.write(recordOf(handle)).catch((error) => {
        logger.warn({ err: error, instanceId: spec.instanceId }, "could not record an instance");
      });
    },

    async waitForExit(instanceId) {
      const { exitCode } = await (await mustFind(instanceId)).exited;
      return { exitCode };
    },

    stop,

    async remove(instanceId) {
      if (!INSTANCE_ID.test(instanceId)) return;
      const handle = await find(instanceId);
      if (handle && !handle.exit) await stop(instanceId);
      instances.delete(instanceId);
      handle?.child?.stdin?.destroy();
      handle?.child?.stdout?.destroy();
      await records.delete(instanceId);
      // Also for instances that died unobserved: their cgroup is found by id alone.
      const support = await limits.support();
      if (support) await instanceCgroup(support, instanceId).remove();
    },

    async inspect(instanceId): Promise<InstanceInfo | undefined> {
      const handle = await find(instanceId);
      return handle ? describeHandle(handle) : undefined;
    },

    async list(labels) {
      await refresh();
      return [...instances.values()]
        .filter((handle) => hasLabels(handle.labels, labels))
        .map(describeHandle);
    },

    async attachStdio(instanceId): Promise<StdioStreams> {
      const handle = await mustFind(instanceId);
      const { child } = handle;
      if (handle.transport.type !== "stdio") {
        throw new RuntimeError("UNSUPPORTED", `instance ${instanceId} does not use stdio`);
      }
      if (!child?.stdin || !child.stdout) {
        throw new RuntimeError(
          "UNSUPPORTED",
          `instance ${instanceId} was started by an earlier control-plane process: its stdio ` +
            "pipes are gone, so it must be restarted",
        );
      }
      if (handle.stdioAttached) {
        throw new RuntimeError("UNSUPPORTED", `stdio of ${instanceId} is already attached`);
      }
      handle.stdioAttached = true;
      return { stdin: child.stdin, stdout: child.stdout };
    },

    async address(instanceId) {
      const { transport } = await mustFind(instanceId);
      if (transport.type !== "http") {
        throw new RuntimeError("UNSUPPORTED", `instance ${instanceId} does not serve http`);
      }
      // The server shares the host's network (--share-net), so it listens on the host itself.
      return { host: "127.0.0.1", port: transport.port };
    },

    async stats(instanceId): Promise<InstanceStats | undefined> {
      const handle = await find(instanceId);
      if (!handle || handle.exit || handle.gone) return undefined;
      const usage = await treeUsage(handle.pid);
      if (!usage) return undefined;
      const time = new Date();
      // A fresh cgroup may not be charged yet (pages are charged as they are touched after joining).
      const memoryBytes = (await handle.cgroup?.memoryBytes()) || (await usage.residentBytes());
      return { cpuPercent: handle.cpuPercent(usage.cpuTicks, time), memoryBytes, time };
    },
  };
}
