import type { Duplex, Readable } from "node:stream";
import Dockerode from "dockerode";
import type { StdioStreams } from "../runtime.js";
import type { RawStats } from "./container-stats.js";
import { DockerClientError, guard, toClientError } from "./docker-client-error.js";
import { demuxOutput, type OutputStreams, splitAttachSocket } from "./docker-streams.js";

/**
 * The few Docker Engine calls the runtime makes, behind a narrow interface: the runtime never sees
 * dockerode, and tests that need a fake pass an object with a few functions. Every method throws
 * DockerClientError, so callers reason about a handful of failure kinds, not HTTP details.
 */
export interface DockerClient {
  /** Where the engine is, for messages: `unix:///var/run/docker.sock` or `tcp://host:port`. */
  readonly endpoint: string;
  ping(): Promise<void>;
  imageExists(ref: string): Promise<boolean>;
  /** Resolves when the image is present; rejects (kind "other") with the engine's reason. */
  pullImage(ref: string, onProgress: (event: PullProgress) => void): Promise<void>;
  /** `docker import`: a root filesystem tar becomes the image `repo:tag`. */
  importImage(
    tar: Readable,
    options: { repo: string; tag: string; changes: string[] },
  ): Promise<void>;
  /** Undefined when there is no such network. */
  inspectNetwork(name: string): Promise<NetworkOptions | undefined>;
  createNetwork(options: NetworkOptions): Promise<void>;
  createContainer(options: ContainerCreateOptions): Promise<void>;
  startContainer(name: string): Promise<void>;
  /** Undefined when there is no such container. */
  inspectContainer(name: string): Promise<ContainerDetails | undefined>;
  /** Names of containers, stopped ones included, carrying every label (`key=value`, or `key`). */
  listContainers(labelFilters: string[]): Promise<string[]>;
  /** The exit status once the container is not running. */
  waitContainer(name: string): Promise<number>;
  stopContainer(name: string, timeoutSeconds: number): Promise<void>;
  removeContainer(name: string): Promise<void>;
  /** The container's output from its start on, demultiplexed; ends when the container stops. */
  /** Follows output; `since` (Unix seconds) skips what was written before. */
  followOutput(
    name: string,
    which: { stdout: boolean; stderr: boolean; since?: number },
  ): Promise<OutputStreams>;
  /** Attaches to stdin and stdout (stdout demultiplexed). Works any number of times. */
  attachStdio(name: string): Promise<StdioStreams>;
  /** One stats sample (`stream=false`: the engine fills `precpu_stats` from a second reading). */
  containerStats(name: string): Promise<RawStats>;
}

/** Create options with the container name required: every call here names its container. */
export type ContainerCreateOptions = Dockerode.ContainerCreateOptions & { name: string };

export interface NetworkOptions {
  name: string;
  /** Internal networks have no route out; the host still reaches their containers. */
  internal: boolean;
  labels: Record<string, string>;
  /** Driver options, e.g. `com.docker.network.bridge.enable_icc`. */
  options: Record<string, string>;
}

export interface PullProgress {
  id?: string | undefined;
  status?: string | undefined;
  progress?: string | undefined;
}

/** The parts of `docker inspect` the runtime uses. */
export interface ContainerDetails {
  name: string;
  labels: Record<string, string>;
  /** created, running, paused, restarting, removing, exited or dead. */
  status: string;
  exitCode: number;
  startedAt: string;
  oomKilled: boolean;
  error: string;
  openStdin: boolean;
  /** IP address per attached network name ("" while not running). */
  ipAddresses: Record<string, string>;
}

/**
 * Builds the client from a DOCKER_HOST-style address (`unix:///path`, `tcp://host:port`); the
 * default is the local socket. Every connection field is set explicitly because dockerode would
 * otherwise fill gaps from DOCKER_HOST and friends, and config is read in one place only.
 */
export function createDockerClient(opts: { host?: string | undefined } = {}): DockerClient {
  const host = opts.host ?? "unix:///var/run/docker.sock";
  const base = { host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined };
  let docker: Dockerode;
  if (host.startsWith("unix://")) {
    docker = new Dockerode({ ...base, socketPath: host.slice("unix://".length) });
  } else if (host.startsWith("tcp://")) {
    const url = new URL(host);
    docker = new Dockerode({
      ...base,
      protocol: "http",
      host: url.hostname,
      port: url.port || 2375,
    });
  } else {
    throw new Error(`Unsupported Docker host "${host}": use unix:///path or tcp://host:port`);
  }
  return wrapDockerode(docker, host);
}

function wrapDockerode(docker: Dockerode, endpoint: string): DockerClient {
  const container = (name: string) => docker.getContainer(name);
  return {
    endpoint,
    ping: guard(async () => {
      // A silent tcp endpoint would otherwise hang the check; dockerode takes the signal untyped.
      const ping = docker.ping as unknown as (opts: { abortSignal: AbortSignal }) => Promise<void>;
      await ping.call(docker, { abortSignal: AbortSignal.timeout(5_000) });
    }),
    imageExists: guard(async (ref: string) => {
      try {
        await docker.getImage(ref).inspect();
        return true;
      } catch (err) {
        if (toClientError(err).kind === "not-found") return false;
        throw err;
      }
    }),
    pullImage: guard(async (ref: string, onProgress: (event: PullProgress) => void) => {
      const stream = (await docker.pull(ref)) as Readable;
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          stream,
          (err: Error | null) => (err ? reject(err) : resolve()),
          // An engine-side failure arrives as an event, not as a stream error.
          (event: PullProgress & { error?: string }) => {
            if (event.error) reject(new DockerClientError("other", event.error));
            else onProgress(event);
          },
        );
      });
    }),
    importImage: guard(
      async (tar: Readable, options: { repo: string; tag: string; changes: string[] }) => {
        const stream = (await docker.importImage(tar, options)) as unknown as Readable;
        await new Promise<void>((resolve, reject) => {
          docker.modem.followProgress(
            stream,
            (err: Error | null, events: Array<{ error?: string }>) => {
              const failed = events?.find((e) => e.error);
              if (err || failed)
                reject(err ?? new DockerClientError("other", `import failed: ${failed?.error}`));
              else resolve();
            },
          );
        });
      },
    ),
    inspectNetwork: guard(async (name: string) => {
      try {
        const info = (await docker.getNetwork(name).inspect()) as Dockerode.NetworkInspectInfo;
        return {
          name: info.Name,
          internal: info.Internal,
          labels: info.Labels ?? {},
          options: info.Options ?? {},
        };
      } catch (err) {
        if (toClientError(err).kind === "not-found") return undefined;
        throw err;
      }
    }),
    createNetwork: guard(async (network: NetworkOptions) => {
      await docker.createNetwork({
        Name: network.name,
        Driver: "bridge",
        Internal: network.internal,
        Labels: network.labels,
        Options: network.options,
      });
    }),
    createContainer: guard(async (options: ContainerCreateOptions) => {
      await docker.createContainer(options);
    }),
    startContainer: guard(async (name: string) => {
      await container(name).start();
    }),
    inspectContainer: guard(async (name: string) => {
      try {
        return toDetails(await container(name).inspect());
      } catch (err) {
        if (toClientError(err).kind === "not-found") return undefined;
        throw err;
      }
    }),
    listContainers: guard(async (labelFilters: string[]) => {
      const found = await docker.listContainers({ all: true, filters: { label: labelFilters } });
      return found.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ""));
    }),
    waitContainer: guard(async (name: string) => {
      const result = (await container(name).wait()) as { StatusCode: number };
      return result.StatusCode;
    }),
    stopContainer: guard(async (name: string, timeoutSeconds: number) => {
      await container(name).stop({ t: timeoutSeconds });
    }),
    removeContainer: guard(async (name: string) => {
      await container(name).remove({ force: true, v: true });
    }),
    followOutput: guard(
      async (name: string, which: { stdout: boolean; stderr: boolean; since?: number }) => {
        const raw = (await container(name).logs({ follow: true, ...which })) as unknown as Readable;
        return demuxOutput(raw);
      },
    ),
    attachStdio: guard(async (name: string) => {
      const socket = (await container(name).attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: false,
        hijack: true,
      })) as Duplex;
      return splitAttachSocket(socket);
    }),
    containerStats: guard(async (name: string) => {
      return (await container(name).stats({ stream: false })) as RawStats;
    }),
  };
}

function toDetails(info: Dockerode.ContainerInspectInfo): ContainerDetails {
  const networks = info.NetworkSettings?.Networks ?? {};
  return {
    name: info.Name.replace(/^\//, ""),
    labels: info.Config.Labels ?? {},
    status: info.State.Status,
    exitCode: info.State.ExitCode,
    startedAt: info.State.StartedAt,
    oomKilled: info.State.OOMKilled,
    error: info.State.Error,
    openStdin: info.Config.OpenStdin,
    ipAddresses: Object.fromEntries(
      Object.entries(networks).map(([net, settings]) => [net, settings.IPAddress ?? ""]),
    ),
  };
}
