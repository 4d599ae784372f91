import type Dockerode from "dockerode";
import { SERVER_ID_LABEL } from "../../domain/servers/server.js";
import {
  DATA_MOUNT,
  type LaunchSpec,
  nodeHeapFlag,
  PACKAGE_MOUNT,
  RuntimeError,
} from "../runtime.js";
import type { ContainerCreateOptions } from "./docker-client.js";

/** Names the instance on the container, so `list` finds it after a control-plane restart. */
export const INSTANCE_ID_LABEL = "mcphost.instance-id";
/** The http port the server listens on inside the container, read back by `address()`. */
export const PORT_LABEL = "mcphost.port";

/** Docker's own rule for container names; instance ids are used verbatim in them. */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function containerName(instanceId: string): string {
  const name = `mcphost-${instanceId}`;
  if (!CONTAINER_NAME.test(instanceId)) {
    throw new RuntimeError("START_FAILED", `Instance id "${instanceId}" cannot name a container`);
  }
  return name;
}

/** The network an instance joins: outbound bridge, internal bridge, or none at all. */
export function networkFor(spec: LaunchSpec, networkName: string): string {
  if (spec.network === "outbound") return networkName;
  // Without network access an http server would be unreachable even for the gateway, so it joins
  // an internal network instead: the host reaches it, it reaches nothing outside.
  return spec.transport.type === "http" ? internalNetworkName(networkName) : "none";
}

export function internalNetworkName(networkName: string): string {
  return `${networkName}-internal`;
}

export interface ContainerContext {
  /** Image for node-package programs: `node` must be on its PATH. */
  nodeImage: string;
  /** The outbound network's name (see networkFor). */
  networkName: string;
  /** `uid:gid` the server runs as: the control plane's own, so files in /data stay its own. */
  user: string;
}

/**
 * The create options for one instance. Pure, so the hardening is checked without an engine.
 * What is deliberately absent: published ports, host network, the Docker socket, capabilities,
 * any environment of the control plane's own.
 */
export function containerOptions(
  spec: LaunchSpec,
  context: ContainerContext,
): ContainerCreateOptions {
  const stdio = spec.transport.type === "stdio";
  const labels: Record<string, string> = {
    ...spec.labels,
    [SERVER_ID_LABEL]: spec.serverId,
    [INSTANCE_ID_LABEL]: spec.instanceId,
  };
  if (spec.transport.type === "http") labels[PORT_LABEL] = String(spec.transport.port);

  const mounts: Dockerode.MountSettings[] = [
    { Type: "bind", Source: spec.filesDir, Target: DATA_MOUNT, ReadOnly: false },
  ];
  let image: Pick<Dockerode.ContainerCreateOptions, "Image" | "Entrypoint" | "Cmd">;
  switch (spec.program.kind) {
    case "node-package":
      mounts.push({
        Type: "bind",
        Source: spec.program.packageDir,
        Target: PACKAGE_MOUNT,
        ReadOnly: true,
      });
      image = {
        Image: context.nodeImage,
        // Cleared so an image with its own entrypoint (docker-entrypoint.sh) cannot wrap node.
        Entrypoint: [],
        Cmd: [
          "node",
          nodeHeapFlag(spec.limits),
          `${PACKAGE_MOUNT}/${spec.program.entry}`,
          ...spec.program.args,
        ],
      };
      break;
    case "image":
      image = { Image: spec.program.image };
      // The engine drops the image's CMD when the entrypoint is overridden, as `docker run` does.
      if (spec.program.command) image.Entrypoint = spec.program.command;
      if (spec.program.args) image.Cmd = spec.program.args;
      else if (spec.program.command) image.Cmd = [];
      break;
    case "host-command":
      throw new RuntimeError("UNSUPPORTED", "The Docker runtime cannot run a host command");
  }

  const memoryBytes = spec.limits.memoryMb * 1024 * 1024;
  return {
    name: containerName(spec.instanceId),
    ...image,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: labels,
    WorkingDir: DATA_MOUNT,
    User: context.user,
    Tty: false,
    // stdin stays open across attaches (StdinOnce false), so the gateway can re-attach.
    OpenStdin: stdio,
    StdinOnce: false,
    AttachStdin: stdio,
    AttachStdout: stdio,
    AttachStderr: stdio,
    HostConfig: {
      Mounts: mounts,
      Memory: memoryBytes,
      // Equal to Memory: no swap on top of the limit.
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(spec.limits.cpus * 1e9),
      PidsLimit: spec.limits.pids,
      SecurityOpt: ["no-new-privileges"],
      CapDrop: ["ALL"],
      Privileged: false,
      ReadonlyRootfs: true,
      // tmpfs pages count against the memory limit, so its size needs no separate ceiling.
      Tmpfs: { "/tmp": `rw,nosuid,nodev,size=${spec.limits.memoryMb}m` },
      NetworkMode: networkFor(spec, context.networkName),
      PortBindings: {},
      PublishAllPorts: false,
      // A tiny init as PID 1 forwards SIGTERM (node as PID 1 ignores it) and reaps zombies.
      Init: true,
      // Restarts are the control plane's decision (crash backoff), never the engine's.
      RestartPolicy: { Name: "no" },
      // The engine keeps output (for stdio, the MCP channel too) on disk: bound it.
      LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "2" } },
      ...(spec.gpu
        ? { DeviceRequests: [{ Driver: "", Count: -1, Capabilities: [["gpu"]], Options: {} }] }
        : {}),
    },
  };
}
