import type { Logger } from "../../lib/logger.js";
import type { LaunchSpec, LogSink } from "../runtime.js";
import {
  type CgroupSupport,
  createInstanceCgroup,
  detectCgroups,
  type InstanceCgroup,
  wrapInCgroup,
} from "./cgroup-limits.js";
import { systemLine } from "./output-lines.js";

/**
 * Resource limits for process instances.
 *
 * Enforced with cgroups (v1 or v2) when this process may create them (root, writable cgroupfs):
 * memory (OOM-kill at the limit, no swap), CPU (CFS quota) and pids. Where cgroups are unusable,
 * nothing is enforced, said once in the log and at every start in the instance's log: rlimits
 * are no substitute (RLIMIT_AS breaks Node, which reserves far more virtual memory than it uses;
 * RLIMIT_NPROC counts all of a user's processes and is ignored for root).
 */
export function createLimits(cgroupRoot: string, logger: Logger) {
  let detected: Promise<CgroupSupport | string> | undefined;
  const detect = () => {
    detected ??= detectCgroups(cgroupRoot).then((result) => {
      if (typeof result === "string") {
        logger.warn({ reason: result }, "resource limits are not enforced for process servers");
      } else if (result.missing.length > 0) {
        logger.warn({ missing: result.missing }, "some cgroup controllers are unavailable");
      }
      return result;
    });
    return detected;
  };

  return {
    /** The usable cgroups, or undefined when limits cannot be enforced. */
    async support(): Promise<CgroupSupport | undefined> {
      const result = await detect();
      return typeof result === "string" ? undefined : result;
    },

    /** Why limits are (partly) not enforced, for availability(); undefined when they all are. */
    async problem(): Promise<string | undefined> {
      const result = await detect();
      if (typeof result === "string") return `resource limits are not enforced: ${result}`;
      if (result.missing.length > 0) {
        return `limits not enforced for: ${result.missing.join(", ")} (no cgroup controller)`;
      }
      return undefined;
    },

    /**
     * Creates the instance's cgroup with its limits. `wrap` turns the command into one that joins
     * the cgroup before it runs (see wrapInCgroup), so no process of the instance escapes it.
     */
    async apply(spec: LaunchSpec, sink: LogSink) {
      const result = await detect();
      const { memoryMb, cpus, pids } = spec.limits;
      const none = {
        cgroup: undefined,
        wrap: (command: string, args: string[]) => ({ command, args }),
      };
      if (typeof result === "string") {
        systemLine(sink, `resource limits are not enforced: ${result}`);
        return none;
      }
      let cgroup: InstanceCgroup;
      try {
        cgroup = await createInstanceCgroup(result, spec.instanceId, spec.limits);
      } catch (error) {
        const reason = `could not create a cgroup: ${(error as Error).message}`;
        logger.warn({ instanceId: spec.instanceId, reason }, "resource limits are not enforced");
        systemLine(sink, `resource limits are not enforced: ${reason}`);
        return none;
      }
      const missing =
        result.missing.length > 0 ? `; not enforced: ${result.missing.join(", ")}` : "";
      systemLine(
        sink,
        `limits: memory ${memoryMb} MiB, cpu ${cpus}, pids ${pids} (cgroup v${result.version}${missing})`,
      );
      return {
        cgroup: cgroup as InstanceCgroup | undefined,
        wrap: (command: string, args: string[]) => wrapInCgroup(cgroup.procsFiles, command, args),
      };
    },
  };
}
