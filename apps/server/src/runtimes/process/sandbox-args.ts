import { execFile } from "node:child_process";
import { access, constants, lstat, readlink, realpath } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DATA_MOUNT } from "../runtime.js";

/**
 * The bubblewrap command line for one instance. The sandbox's root is an empty tmpfs; only what is
 * listed here appears in it. In particular the MCP Host data folder, its database and its secret
 * key are never mounted, so a server cannot reach them whatever it tries.
 */

/** Top-level system folders a program may need; each is bound read-only or recreated as symlink. */
const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"];

/**
 * The parts of /etc a program needs for name resolution, TLS and user lookup. Not /etc as a whole:
 * it holds host secrets (e.g. /etc/ssl/private, /etc/shadow).
 */
const ETC_FILES = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/host.conf",
  "/etc/gai.conf",
  "/etc/nsswitch.conf",
  "/etc/passwd",
  "/etc/group",
  "/etc/localtime",
  "/etc/ld.so.cache",
  "/etc/alternatives",
  "/etc/ssl/certs",
  "/etc/ssl/openssl.cnf",
  "/etc/ca-certificates",
  "/etc/pki/tls/certs",
  "/etc/pki/ca-trust",
];

/** GPU device nodes bound in only when the spec asks for a GPU (absent ones are skipped). */
const GPU_DEVICES = ["/dev/dri", "/dev/nvidiactl", "/dev/nvidia0", "/dev/nvidia-uvm"];

export type SystemDir = { path: string; symlinkTo?: string | undefined };

/** How this host lays out its system folders (merged /usr or not), read once. */
export async function detectSystemDirs(): Promise<SystemDir[]> {
  const found: SystemDir[] = [];
  for (const path of SYSTEM_DIRS) {
    const stats = await lstat(path).catch(() => undefined);
    if (stats?.isSymbolicLink()) found.push({ path, symlinkTo: await readlink(path) });
    else if (stats?.isDirectory()) found.push({ path });
  }
  return found;
}

/**
 * An executable as it can be run inside the sandbox: its real path, plus the folder to bind
 * read-only when it lives outside the system folders (e.g. a node installed under /opt/node-v20,
 * whose `lib/` must come along).
 */
export async function executableInSandbox(
  path: string,
  systemDirs: SystemDir[],
): Promise<{ path: string; extraBind?: string | undefined }> {
  const real = await realpath(path);
  const bound = systemDirs.some((d) => !d.symlinkTo && real.startsWith(`${d.path}/`));
  if (bound) return { path: real };
  const folder = dirname(real);
  return { path: real, extraBind: basename(folder) === "bin" ? dirname(folder) : folder };
}

export interface SandboxInput {
  systemDirs: SystemDir[];
  /** Extra host folders bound read-only at the same path (a node install outside /usr). */
  extraBinds: string[];
  /** Host folder bound read-only at `packageDir.mount`, for node packages. */
  packageDir?: { host: string; mount: string } | undefined;
  filesDir: string;
  outboundNetwork: boolean;
  gpu: boolean;
  env: Record<string, string>;
  command: string;
  args: string[];
}

/** File descriptor on which bwrap reads the environment arguments (see `--args`). */
export const ENV_ARGS_FD = 3;

/**
 * The arguments to bwrap (without the bwrap path itself). The server's variables are not among
 * them: command lines are world-readable in /proc, so they travel as `envArgs` over a pipe that
 * bwrap reads with `--args` (environments are readable only by their owner).
 */
export function sandboxArgs(input: SandboxInput): { args: string[]; envArgs: string[] } {
  const args = ["--unshare-all"];
  if (input.outboundNetwork) args.push("--share-net");
  // Dropping every capability matters because the control plane may run as root: bwrap keeps
  // root's capabilities inside the sandbox unless told otherwise.
  args.push("--die-with-parent", "--new-session", "--cap-drop", "ALL");
  for (const dir of input.systemDirs) {
    if (dir.symlinkTo) args.push("--symlink", dir.symlinkTo, dir.path);
    else args.push("--ro-bind", dir.path, dir.path);
  }
  for (const path of ETC_FILES) args.push("--ro-bind-try", path, path);
  for (const path of input.extraBinds) args.push("--ro-bind", path, path);
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
  if (input.gpu) for (const device of GPU_DEVICES) args.push("--dev-bind-try", device, device);
  if (input.packageDir) args.push("--ro-bind", input.packageDir.host, input.packageDir.mount);
  args.push("--bind", input.filesDir, DATA_MOUNT, "--chdir", DATA_MOUNT);
  // bwrap applies --clearenv and --setenv in order, and only to the sandboxed program: bwrap's own
  // environment (which carries the instance markers) stays outside.
  const envArgs = ["--clearenv"];
  for (const [name, value] of Object.entries(input.env)) envArgs.push("--setenv", name, value);
  args.push("--args", String(ENV_ARGS_FD));
  args.push("--", input.command, ...input.args);
  return { args, envArgs };
}

/**
 * The first `bwrap` on `searchPath` (a PATH-style list) that can actually create a sandbox here,
 * or null. Being installed is not enough: without user namespaces (some containers) it fails.
 */
export async function findBubblewrap(searchPath: string): Promise<string | null> {
  for (const dir of searchPath.split(":").filter(Boolean)) {
    const candidate = join(dir, "bwrap");
    const executable = await access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (executable && (await canSandbox(candidate))) return candidate;
  }
  return null;
}

function canSandbox(bwrapPath: string): Promise<boolean> {
  const smokeTest = ["--unshare-all", "--die-with-parent", "--cap-drop", "ALL"];
  smokeTest.push("--ro-bind", "/", "/", "--", "/bin/sh", "-c", "exit 0");
  return new Promise((resolve) => {
    execFile(bwrapPath, smokeTest, { timeout: 5_000 }, (error) => resolve(!error));
  });
}
