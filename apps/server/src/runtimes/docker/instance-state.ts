import { SERVER_ID_LABEL } from "../../domain/servers/server.js";
import type { InstanceInfo, InstanceState } from "../runtime.js";
import { INSTANCE_ID_LABEL } from "./container-options.js";
import type { ContainerDetails } from "./docker-client.js";

export function toInstanceInfo(found: ContainerDetails): InstanceInfo {
  return {
    instanceId: found.labels[INSTANCE_ID_LABEL] ?? found.name.replace(/^mcphost-/, ""),
    serverId: found.labels[SERVER_ID_LABEL] ?? "",
    labels: found.labels,
    state: toState(found),
  };
}

function toState(found: ContainerDetails): InstanceState {
  switch (found.status) {
    case "running":
    case "paused":
      return { state: "running", startedAt: new Date(found.startedAt) };
    case "created":
    case "restarting":
      return { state: "starting" };
    default: {
      const reason = found.oomKilled ? "out of memory" : found.error || undefined;
      return { state: "exited", exitCode: exitCodeOf(found.exitCode), reason };
    }
  }
}

/**
 * The init process reports a child killed by signal N as 128+N; the Runtime contract says null
 * for "killed by a signal". A program exiting with such a code itself is indistinguishable (rare).
 */
export function exitCodeOf(status: number): number | null {
  return status > 128 && status <= 128 + 64 ? null : status;
}
