import { dirname, isAbsolute, join } from "node:path";
import {
  DATA_MOUNT,
  type LaunchSpec,
  nodeHeapFlag,
  PACKAGE_MOUNT,
  RuntimeError,
} from "../runtime.js";
import { executableInSandbox, type SystemDir, sandboxArgs } from "./sandbox-args.js";

/**
 * Turns a LaunchSpec into the exact command to spawn: bwrap around the program when sandboxed,
 * the program itself otherwise. The two modes differ in where the server finds its files:
 *
 * | | sandboxed (bwrap) | unsandboxed |
 * | --- | --- | --- |
 * | package | read-only at PACKAGE_MOUNT | run from `packageDir` on the host |
 * | files | `filesDir` at DATA_MOUNT (/data), the cwd | `filesDir` itself, the cwd |
 * | `MCPHOST_DATA_DIR` | "/data" | `filesDir` |
 * | environment | spec.env + PATH, HOME=/tmp | spec.env + PATH + the instance markers |
 *
 * Servers that need their files should use the cwd or `$MCPHOST_DATA_DIR`, which work in both.
 */

export interface LaunchPlan {
  command: string;
  args: string[];
  /** The environment of the spawned process (bwrap's own, or the unsandboxed program's). */
  env: Record<string, string>;
  /** NUL-separated arguments to write to fd ENV_ARGS_FD (bwrap's `--args`), if any. */
  fdArgs?: string[] | undefined;
  cwd: string;
  sandboxed: boolean;
}

export interface LaunchContext {
  bwrapPath: string | null;
  nodePath: string;
  systemDirs: SystemDir[];
  /** Variables that find the instance again in /proc (see instance-scan.ts). */
  markers: Record<string, string>;
}

/** The PATH servers get: the host node's folder first, so `node`/`npx` resolve to it. */
function programPath(nodePath: string): string {
  return [dirname(nodePath), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin"]
    .concat(["/sbin", "/bin"])
    .join(":");
}

/** Refuses what this runtime cannot honour, before anything is created. */
export function assertSupported(spec: LaunchSpec): void {
  if (spec.program.kind === "image") {
    throw new RuntimeError(
      "UNSUPPORTED",
      "the process runtime cannot run container images: use the docker runtime",
    );
  }
  if (spec.transport.type === "http" && spec.network === "none") {
    throw new RuntimeError(
      "UNSUPPORTED",
      'an http server needs network "outbound" on the process runtime: with "none" it gets its ' +
        "own empty network and the gateway cannot reach its port",
    );
  }
}

export async function planLaunch(spec: LaunchSpec, context: LaunchContext): Promise<LaunchPlan> {
  assertSupported(spec);
  const program = spec.program;
  if (program.kind === "image") throw new Error("unreachable: refused by assertSupported");
  const path = programPath(context.nodePath);

  if (!context.bwrapPath) {
    const [command, args] =
      program.kind === "node-package"
        ? [
            context.nodePath,
            [nodeHeapFlag(spec.limits), join(program.packageDir, program.entry), ...program.args],
          ]
        : [program.command, program.args];
    return {
      command,
      args,
      env: {
        PATH: path,
        MCPHOST_DATA_DIR: spec.filesDir,
        ...validEnv(spec.env),
        ...context.markers,
      },
      cwd: spec.filesDir,
      sandboxed: false,
    };
  }

  const extraBinds: string[] = [];
  let command: string;
  let args: string[];
  if (program.kind === "node-package") {
    const node = await executableInSandbox(context.nodePath, context.systemDirs);
    if (node.extraBind) extraBinds.push(node.extraBind);
    command = node.path;
    args = [nodeHeapFlag(spec.limits), `${PACKAGE_MOUNT}/${program.entry}`, ...program.args];
  } else {
    command = program.command;
    args = program.args;
    // A bare name is looked up on PATH inside the sandbox; an absolute path outside the system
    // folders gets its folder bound read-only so the admin's command can run at all.
    if (isAbsolute(command)) {
      const executable = await executableInSandbox(command, context.systemDirs).catch(() => {
        throw new RuntimeError("START_FAILED", `command not found: ${command}`);
      });
      if (executable.extraBind) extraBinds.push(executable.extraBind);
    }
  }
  const { args: bwrapArgs, envArgs } = sandboxArgs({
    systemDirs: context.systemDirs,
    extraBinds,
    packageDir:
      program.kind === "node-package"
        ? { host: program.packageDir, mount: PACKAGE_MOUNT }
        : undefined,
    filesDir: spec.filesDir,
    outboundNetwork: spec.network === "outbound",
    gpu: spec.gpu,
    env: { PATH: path, HOME: "/tmp", MCPHOST_DATA_DIR: DATA_MOUNT, ...validEnv(spec.env) },
    command,
    args,
  });
  return {
    command: context.bwrapPath,
    args: bwrapArgs,
    fdArgs: envArgs,
    // bwrap itself needs nothing from the environment; the markers let list() find it.
    env: { ...context.markers },
    cwd: spec.filesDir,
    sandboxed: true,
  };
}

/** Variables bwrap's --setenv can carry (setenv(3) refuses names with "=", C strings end at NUL). */
function validEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(([name, value]) => /^[^=\0]+$/.test(name) && !value.includes("\0")),
  );
}
