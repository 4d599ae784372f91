import type { ResourceLimits } from "../../src/domain/servers/server.js";
import { containerOptions } from "../../src/runtimes/docker/container-options.js";
import type { ContainerCreateOptions } from "../../src/runtimes/docker/docker-client.js";
import { planLaunch } from "../../src/runtimes/process/launch-plan.js";
import { detectSystemDirs } from "../../src/runtimes/process/sandbox-args.js";
import type { LaunchSpec } from "../../src/runtimes/runtime.js";
import type { StdioLaunch } from "../stdio-handshake.js";

/**
 * What the gateway's deploy ran, read back from it: the installed package and the server's
 * settings. The baselines start exactly that, without MCP Host in between.
 */
export interface DeployedPackage {
  packageDir: string;
  entry: string;
  limits: ResourceLimits;
  network: "outbound" | "none";
  /** A folder of the baseline's own, mounted where the server's files would be. */
  filesDir: string;
}

/** The launch spec the lifecycle would build for this package (no labels: see below). */
function specFor(target: DeployedPackage, instanceId: string): LaunchSpec {
  return {
    serverId: "srv_bench_baseline",
    instanceId,
    labels: {},
    program: {
      kind: "node-package",
      packageDir: target.packageDir,
      entry: target.entry,
      args: [],
    },
    env: {},
    transport: { type: "stdio" },
    limits: target.limits,
    network: target.network,
    gpu: false,
    filesDir: target.filesDir,
  };
}

/**
 * The process runtime's exact command line for this package (`planLaunch`): `node <entry>`
 * unsandboxed, or bwrap around it with the runtime's mounts, its environment passed on fd 3.
 * Without the instance markers, so the host's runtime never takes the baseline for one of its
 * own, and without the cgroup the runtime adds where it may create one (a `/bin/sh` that joins
 * the cgroup, then `exec`s: the gateway's log says whether it did).
 */
export async function processLaunch(
  target: DeployedPackage,
  bwrapPath: string | null,
): Promise<StdioLaunch> {
  const plan = await planLaunch(specFor(target, "baseline"), {
    bwrapPath,
    nodePath: process.execPath,
    systemDirs: await detectSystemDirs(),
    markers: {},
  });
  return {
    command: plan.command,
    args: plan.args,
    env: plan.env,
    cwd: plan.cwd,
    fd3: plan.fdArgs ? `${plan.fdArgs.join("\0")}\0` : undefined,
  };
}

/**
 * `docker run -i --rm` of the container the Docker runtime creates for this package: the same
 * create options (`containerOptions`: image, mounts, user, limits, hardening, network), as flags.
 * `container` is its name, to remove it should the CLI not.
 */
export function dockerLaunch(
  target: DeployedPackage,
  context: { image: string; network: string; instanceId: string },
): { launch: StdioLaunch; container: string } {
  const options = containerOptions(specFor(target, context.instanceId), {
    nodeImage: context.image,
    networkName: context.network,
    user: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
  });
  return {
    launch: {
      command: "docker",
      args: dockerRunArgs(options),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    },
    container: options.name,
  };
}

/** The HostConfig fields `dockerRunArgs` knows how to say; any other is an error, not dropped. */
const HOST_CONFIG_FLAGS: Record<string, (value: never) => string[]> = {
  Mounts: (mounts: Array<{ Type: string; Source: string; Target: string; ReadOnly?: boolean }>) =>
    mounts.flatMap((m) => [
      "--mount",
      `type=${m.Type},source=${m.Source},target=${m.Target}${m.ReadOnly ? ",readonly" : ""}`,
    ]),
  Memory: (bytes: number) => ["--memory", `${bytes}b`],
  MemorySwap: (bytes: number) => ["--memory-swap", `${bytes}b`],
  NanoCpus: (nano: number) => ["--cpus", String(nano / 1e9)],
  PidsLimit: (pids: number) => ["--pids-limit", String(pids)],
  SecurityOpt: (opts: string[]) => opts.flatMap((o) => ["--security-opt", o]),
  CapDrop: (caps: string[]) => caps.flatMap((c) => ["--cap-drop", c]),
  Privileged: (on: boolean) => (on ? ["--privileged"] : []),
  ReadonlyRootfs: (on: boolean) => (on ? ["--read-only"] : []),
  Tmpfs: (mounts: Record<string, string>) =>
    Object.entries(mounts).flatMap(([path, opts]) => ["--tmpfs", `${path}:${opts}`]),
  NetworkMode: (mode: string) => ["--network", mode],
  PortBindings: (ports: Record<string, unknown>) => {
    if (Object.keys(ports).length > 0) throw new Error("published ports are not translated");
    return [];
  },
  PublishAllPorts: (on: boolean) => (on ? ["--publish-all"] : []),
  Init: (on: boolean) => (on ? ["--init"] : []),
  // `--rm` below; a restart policy other than "no" could not go with it.
  RestartPolicy: (policy: { Name: string }) => {
    if (policy.Name !== "no") throw new Error(`restart policy ${policy.Name} with --rm`);
    return [];
  },
  LogConfig: (log: { Type: string; Config: Record<string, string> }) => [
    "--log-driver",
    log.Type,
    ...Object.entries(log.Config).flatMap(([k, v]) => ["--log-opt", `${k}=${v}`]),
  ],
};

/**
 * The `docker run` arguments that create what `options` describes, attached to stdin and stdout
 * (`-i`) and removed when it exits (`--rm`). Labels are left out: the host's Docker runtime finds
 * its instances by label and would take a labelled baseline for one of its own.
 */
export function dockerRunArgs(options: ContainerCreateOptions): string[] {
  const args = ["run", "-i", "--rm", "--name", options.name];
  if (options.Tty) args.push("-t");
  for (const variable of options.Env ?? []) args.push("-e", variable);
  if (options.WorkingDir) args.push("--workdir", options.WorkingDir);
  if (options.User) args.push("--user", options.User);
  for (const [key, value] of Object.entries(options.HostConfig ?? {})) {
    const flags = HOST_CONFIG_FLAGS[key];
    if (!flags) throw new Error(`HostConfig.${key} has no docker run flag here`);
    args.push(...flags(value as never));
  }
  const entrypoint = options.Entrypoint;
  if (entrypoint !== undefined) {
    const list = typeof entrypoint === "string" ? [entrypoint] : entrypoint;
    if (list.length > 1) throw new Error("an entrypoint of several words has no docker run flag");
    // `--entrypoint ""` clears the image's entrypoint, as `Entrypoint: []` does.
    args.push("--entrypoint", list[0] ?? "");
  }
  if (!options.Image) throw new Error("no image");
  args.push(options.Image);
  const cmd = options.Cmd;
  if (cmd !== undefined) args.push(...(typeof cmd === "string" ? [cmd] : cmd));
  return args;
}
