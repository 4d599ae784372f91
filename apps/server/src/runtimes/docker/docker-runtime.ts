import type { Logger } from "../../lib/logger.js";
import {
  type LaunchSpec,
  type LogSink,
  type Runtime,
  RuntimeError,
  type RuntimeErrorCode,
} from "../runtime.js";
import {
  containerName,
  containerOptions,
  INSTANCE_ID_LABEL,
  internalNetworkName,
  networkFor,
  PORT_LABEL,
} from "./container-options.js";
import { toInstanceStats } from "./container-stats.js";
import type { ContainerCreateOptions, ContainerDetails, DockerClient } from "./docker-client.js";
import { createNetworks } from "./docker-networks.js";
import { engineCall, isFailure } from "./engine-call.js";
import { ensureHostNodeImage } from "./host-node-image.js";
import { ensureImage } from "./image-pull.js";
import { exitCodeOf, toInstanceInfo } from "./instance-state.js";
import { pipeLines } from "./log-lines.js";

export interface DockerRuntimeOptions {
  docker: DockerClient;
  /** Runs node-package programs; `node` must be on its PATH (official `node:*` images qualify). */
  nodeImage: string;
  /** User-defined bridge network for instances with outbound access; created when missing. */
  networkName: string;
  logger: Logger;
  /** Whether the engine can hand GPUs to containers (NVIDIA container toolkit configured). */
  gpuAvailable?: boolean | undefined;
  /**
   * When `nodeImage` cannot be pulled (no registry access), build a minimal Node image from this
   * host's node instead of failing. On for the default image; off when the operator chose one.
   */
  hostNodeFallback?: boolean | undefined;
  /** `uid:gid` instances run as; defaults to the control plane's own, so /data files stay its own. */
  user?: string | undefined;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/**
 * The Docker runtime: one hardened container per instance, named `mcphost-<instanceId>` and found
 * again by labels, so everything survives a control-plane restart except the log followers,
 * which belong to the process that called `start`.
 */
export function createDockerRuntime(options: DockerRuntimeOptions): Runtime {
  const { docker, networkName, logger } = options;
  /** The Node image in use: the configured one, or the host-built fallback once needed. */
  let nodeImage = options.nodeImage;
  let nodeImageSettled = false;

  /** Builds the fallback image (once per content hash) and uses it from now on. */
  async function useHostNodeImage(say: (line: string) => void): Promise<string> {
    nodeImage = await ensureHostNodeImage(docker, { repository: "mcphost-node", flavour: "host" });
    nodeImageSettled = true;
    say(`using ${nodeImage}, built from this host's node ${process.version}`);
    return nodeImage;
  }

  /** The Node image to start with; after a control-plane restart, settles it again without pulling. */
  async function currentNodeImage(): Promise<string> {
    if (nodeImageSettled) return nodeImage;
    if (!options.hostNodeFallback || (await docker.imageExists(nodeImage))) {
      nodeImageSettled = true;
      return nodeImage;
    }
    return useHostNodeImage((line) => logger.info(line));
  }
  const user = options.user ?? `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const networks = createNetworks(docker, logger);
  /** Closes the log follower of each instance this process started. */
  const followers = new Map<string, () => void>();

  const engine = <T>(fallback: RuntimeErrorCode, what: string, fn: () => Promise<T>) =>
    engineCall(docker.endpoint, fallback, what, fn);

  function details(instanceId: string): Promise<ContainerDetails | undefined> {
    const name = containerName(instanceId);
    return engine("NOT_FOUND", `Inspecting ${name}`, () => docker.inspectContainer(name));
  }

  async function mustExist(instanceId: string): Promise<ContainerDetails> {
    const found = await details(instanceId);
    if (!found) throw new RuntimeError("NOT_FOUND", `No instance ${instanceId}`);
    return found;
  }

  function imageOf(spec: LaunchSpec): string {
    switch (spec.program.kind) {
      case "image":
        return spec.program.image;
      case "node-package":
        return nodeImage;
      case "host-command":
        throw new RuntimeError("UNSUPPORTED", "The Docker runtime cannot run a host command");
    }
  }

  /** Sends output to the sink until the container stops. For stdio, stdout is MCP: not logged. */
  function follow(
    instanceId: string,
    sink: LogSink,
    which: { stdout: boolean; stderr: boolean; since?: number },
  ): void {
    docker.followOutput(containerName(instanceId), which).then(
      (output) => {
        followers.set(instanceId, output.close);
        void Promise.all([
          pipeLines(output.stdout, "stdout", sink),
          pipeLines(output.stderr, "stderr", sink),
        ]).finally(() => followers.delete(instanceId));
      },
      (err: unknown) => logger.warn({ err, instanceId }, "could not follow container output"),
    );
  }

  /** Docker stop: SIGTERM, then SIGKILL once the timeout (whole seconds) has passed. */
  async function stop(instanceId: string, stopOptions?: { timeoutMs?: number }): Promise<void> {
    const seconds = Math.ceil((stopOptions?.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS) / 1000);
    const name = containerName(instanceId);
    await engine("NOT_FOUND", `Stopping ${name}`, () =>
      docker.stopContainer(name, seconds).catch((err) => {
        // Already stopped, or already gone: either way it is not running, as asked.
        if (!isFailure(err, "not-modified", "not-found")) throw err;
      }),
    );
  }

  /** Creates and starts a container; one that never ran is removed again. */
  async function launch(options: ContainerCreateOptions, network: string): Promise<void> {
    if (network !== "none") await networks.ensure(network, network !== networkName);
    await docker.createContainer(options);
    try {
      await docker.startContainer(options.name);
    } catch (err) {
      await docker.removeContainer(options.name).catch(() => {});
      throw err;
    }
  }

  /** `launch`, plus plain words for a missing image and one retry for a vanished network. */
  async function launchInstance(spec: LaunchSpec): Promise<void> {
    const image = spec.program.kind === "node-package" ? await currentNodeImage() : nodeImage;
    const options = containerOptions(spec, { nodeImage: image, networkName, user });
    const network = networkFor(spec, networkName);
    const missing = (err: unknown) => {
      const reason = (err as Error).message;
      if (/no such image/i.test(reason)) {
        return new RuntimeError(
          "IMAGE_UNAVAILABLE",
          `Image ${options.Image} is not present; prepare the instance first`,
        );
      }
      // Not a lookup of an instance, so not NOT_FOUND.
      return new RuntimeError("START_FAILED", `Starting ${options.name}: ${reason}`);
    };
    await engine("START_FAILED", `Starting ${options.name}`, async () => {
      try {
        await launch(options, network);
      } catch (err) {
        if (!isFailure(err, "not-found")) throw err;
        if (!/network/i.test((err as Error).message)) throw missing(err);
        // Removed since we made it (`docker network prune` when idle): make it again, once.
        networks.forget(network);
        await launch(options, network).catch((again: unknown) => {
          throw isFailure(again, "not-found") ? missing(again) : again;
        });
      }
    });
  }

  return {
    kind: "docker",

    async availability() {
      try {
        await docker.ping();
        return { available: true, sandboxed: true, gpu: options.gpuAvailable === true };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const reason = `Docker engine not reachable at ${docker.endpoint}: ${message}`;
        return { available: false, reason, sandboxed: true };
      }
    },

    async prepare(spec, sink, prepareOptions) {
      if (spec.program.kind === "node-package" && options.hostNodeFallback) {
        const say = (line: string) => sink({ stream: "system", line, time: new Date() });
        try {
          await engine("IMAGE_UNAVAILABLE", `Preparing ${nodeImage}`, () =>
            ensureImage(docker, nodeImage, sink),
          );
          nodeImageSettled = true;
        } catch (err) {
          if (!(err instanceof RuntimeError && err.code === "IMAGE_UNAVAILABLE")) throw err;
          say(`${err.message}; building a Node image from this host's node instead`);
          await engine("IMAGE_UNAVAILABLE", "Building the host Node image", () =>
            useHostNodeImage(say),
          );
        }
        return;
      }
      const image = imageOf(spec);
      // Only images named by the user can have moved; the Node image is the operator's choice.
      const refresh = prepareOptions?.refresh === true && spec.program.kind === "image";
      await engine("IMAGE_UNAVAILABLE", `Preparing ${image}`, () =>
        ensureImage(docker, image, sink, { refresh }),
      );
    },

    async start(spec, sink) {
      if (spec.gpu && !options.gpuAvailable) {
        throw new RuntimeError("UNSUPPORTED", "This Docker engine is not set up to provide GPUs");
      }
      await launchInstance(spec);
      follow(spec.instanceId, sink, { stdout: spec.transport.type === "http", stderr: true });
    },

    async waitForExit(instanceId) {
      const name = containerName(instanceId);
      const status = await engine("NOT_FOUND", `Waiting for ${name}`, () =>
        docker.waitContainer(name),
      );
      return { exitCode: exitCodeOf(status) };
    },

    stop,

    async remove(instanceId) {
      followers.get(instanceId)?.();
      await stop(instanceId);
      const name = containerName(instanceId);
      await engine("NOT_FOUND", `Removing ${name}`, () =>
        docker.removeContainer(name).catch((err) => {
          // Gone already, or being removed by a concurrent call: the outcome is the same.
          if (!isFailure(err, "not-found", "conflict")) throw err;
        }),
      );
    },

    async inspect(instanceId) {
      const found = await details(instanceId);
      return found && toInstanceInfo(found);
    },

    async list(labels) {
      const filters = [
        INSTANCE_ID_LABEL,
        ...Object.entries(labels).map(([key, value]) => `${key}=${value}`),
      ];
      const names = await engine("NOT_FOUND", "Listing instances", () =>
        docker.listContainers(filters),
      );
      const found = await Promise.all(
        names.map((name) =>
          engine("NOT_FOUND", `Inspecting ${name}`, () => docker.inspectContainer(name)),
        ),
      );
      // A container removed between list and inspect is simply not there any more.
      return found.filter((d) => d !== undefined).map(toInstanceInfo);
    },

    async attachStdio(instanceId) {
      const found = await mustExist(instanceId);
      if (!found.openStdin) {
        throw new RuntimeError("UNSUPPORTED", `Instance ${instanceId} does not use stdio`);
      }
      if (found.status !== "running") {
        throw new RuntimeError("NOT_FOUND", `Instance ${instanceId} is not running`);
      }
      return engine("NOT_FOUND", `Attaching to ${found.name}`, () =>
        docker.attachStdio(found.name),
      );
    },

    async address(instanceId) {
      const found = await mustExist(instanceId);
      const port = Number(found.labels[PORT_LABEL]);
      if (!port) throw new RuntimeError("UNSUPPORTED", `Instance ${instanceId} does not use http`);
      const host =
        found.ipAddresses[networkName] || found.ipAddresses[internalNetworkName(networkName)];
      if (!host) throw new RuntimeError("NOT_FOUND", `Instance ${instanceId} is not running`);
      return { host, port };
    },

    async stats(instanceId) {
      const found = await details(instanceId);
      if (found?.status !== "running") return undefined;
      const raw = await engine("NOT_FOUND", `Reading stats of ${found.name}`, () =>
        docker.containerStats(found.name).catch((err) => {
          // Stopped or removed since the inspect: no stats, as for any stopped instance.
          if (isFailure(err, "not-found")) return undefined;
          throw err;
        }),
      );
      return raw && toInstanceStats(raw);
    },

    async followLogs(instanceId, sink, options) {
      if (followers.has(instanceId)) return;
      // From now on only: what came before was logged by the process that started it.
      follow(instanceId, sink, {
        stdout: options.stdout,
        stderr: true,
        since: Math.floor(Date.now() / 1000),
      });
    },
  };
}
