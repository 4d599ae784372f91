import type { Readable, Writable } from "node:stream";
import type {
  NetworkPolicy,
  ResourceLimits,
  RuntimeKind,
  ServerTransport,
} from "../domain/servers/server.js";

/**
 * What to execute, decided by the deploy job. A union keyed by `kind`: each runtime supports the
 * kinds it can run and refuses the others with RuntimeError("UNSUPPORTED").
 */
export type Program =
  /**
   * An installed npm package run with Node. `packageDir` is the host folder holding the install
   * (its `node_modules/`); `entry` is the script path relative to `packageDir`. Both runtimes mount
   * `packageDir` read-only (process: bind mount; docker: into the Node image) at PACKAGE_MOUNT.
   */
  | { kind: "node-package"; packageDir: string; entry: string; args: string[] }
  /** An OCI image, with optional command/args overriding its entrypoint/cmd. Docker only. */
  | { kind: "image"; image: string; command?: string[] | undefined; args?: string[] | undefined }
  /** A host executable (absolute path or found on PATH). Process runtime only. */
  | { kind: "host-command"; command: string; args: string[] };

/** Where an npm package's install is visible inside a sandbox or container. */
export const PACKAGE_MOUNT = "/opt/mcphost/package";
/** Where the server's own files are visible inside a sandbox or container. */
export const DATA_MOUNT = "/data";

/**
 * Node's heap ceiling for a `node-package` server: three quarters of its memory limit. V8 then
 * collects harder and fails with a heap error before the cgroup would kill it, and where cgroups
 * are unavailable it is the one memory bound that still holds (rlimits cannot bound Node).
 */
export function nodeHeapFlag(limits: { memoryMb: number }): string {
  return `--max-old-space-size=${Math.max(16, Math.floor(limits.memoryMb * 0.75))}`;
}

/** One start of a server. A server has at most one main instance; the gateway may add more later. */
export interface LaunchSpec {
  serverId: string;
  /** Unique per start (`ins_...`); names the process or container. */
  instanceId: string;
  /** Carried by the process or container; `mcphost.server-id` and `mcphost.managed-by` at least. */
  labels: Record<string, string>;
  program: Program;
  /** Exactly the server's own variables: never the control plane's environment. */
  env: Record<string, string>;
  transport: ServerTransport;
  limits: ResourceLimits;
  network: NetworkPolicy;
  gpu: boolean;
  /** Host folder mounted read-write at DATA_MOUNT. */
  filesDir: string;
}

export type LogStream = "stdout" | "stderr" | "system";

export interface LogLine {
  stream: LogStream;
  line: string;
  time: Date;
}

/** Where a runtime writes an instance's output and its own progress (pull progress, warnings). */
export type LogSink = (line: LogLine) => void;

export type InstanceState =
  | { state: "running"; startedAt: Date }
  | { state: "exited"; exitCode: number | null; reason?: string | undefined }
  | { state: "starting" };

export interface InstanceInfo {
  instanceId: string;
  serverId: string;
  labels: Record<string, string>;
  state: InstanceState;
}

export interface InstanceStats {
  /** CPU use since the previous sample, in percent of one core. */
  cpuPercent: number;
  memoryBytes: number;
  time: Date;
}

export interface StdioStreams {
  /** Write JSON-RPC messages to the server. */
  stdin: Writable;
  /** Read JSON-RPC messages from the server. */
  stdout: Readable;
}

export type RuntimeErrorCode =
  /** This runtime cannot run this program kind or option (e.g. an image on the process runtime). */
  | "UNSUPPORTED"
  /** The image could not be pulled or found. */
  | "IMAGE_UNAVAILABLE"
  /** The engine (Docker daemon) is unreachable. */
  | "ENGINE_UNAVAILABLE"
  /** No instance with that id. */
  | "NOT_FOUND"
  /** Anything else while starting. */
  | "START_FAILED";

export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    /** True when trying again later may succeed (engine down, network). */
    readonly transient = false,
  ) {
    super(message);
    this.name = "RuntimeError";
  }
}

export interface RuntimeAvailability {
  available: boolean;
  /** Why not, or a caveat (e.g. "bubblewrap not found: servers run unsandboxed"). */
  reason?: string | undefined;
  /** False when instances run without isolation (process runtime without bubblewrap). */
  sandboxed: boolean;
  /** Whether instances can be given a GPU (`gpu: true`). */
  gpu?: boolean | undefined;
}

/**
 * A place servers run. Implementations: process/ (bubblewrap sandbox), docker/ (dockerode), later
 * kubernetes/. Every implementation passes runtimes/runtime-contract.ts.
 *
 * Instances are found by labels, not by memory: after a control-plane restart `list` must return
 * instances started by a previous process (those that survived), so the reconciler can adopt or
 * remove them.
 */
export interface Runtime {
  readonly kind: RuntimeKind;
  availability(): Promise<RuntimeAvailability>;

  /**
   * Makes what `spec.program` needs present (pulls an image, with progress to `sink`). Idempotent;
   * a no-op where nothing needs preparing. `refresh` (a redeploy) fetches anew what may have
   * changed upstream (a moved image tag), keeping the local copy if that fails.
   */
  prepare(spec: LaunchSpec, sink: LogSink, options?: { refresh?: boolean }): Promise<void>;

  /**
   * Starts an instance and returns once it was started (not necessarily ready). Its stdout (http
   * transport only: for stdio it is the MCP channel) and stderr go to `sink`.
   */
  start(spec: LaunchSpec, sink: LogSink): Promise<void>;

  /** Resolves when the instance exits, with its exit code (null if killed by a signal). */
  waitForExit(instanceId: string): Promise<{ exitCode: number | null }>;

  /** Asks the instance to stop (SIGTERM), kills it after `timeoutMs`. Resolves once it is gone. */
  stop(instanceId: string, options?: { timeoutMs?: number }): Promise<void>;

  /** Removes every trace of the instance (container, sandbox state). Stops it first if needed. */
  remove(instanceId: string): Promise<void>;

  inspect(instanceId: string): Promise<InstanceInfo | undefined>;

  /** Instances carrying all the given labels, including ones started by an earlier process. */
  list(labels: Record<string, string>): Promise<InstanceInfo[]>;

  /**
   * The stdio channel of a stdio instance. Callable once per instance start for the process
   * runtime; Docker re-attaches (also after a control-plane restart).
   */
  attachStdio(instanceId: string): Promise<StdioStreams>;

  /** Where an http instance listens, reachable from the control plane (never a public port). */
  address(instanceId: string): Promise<{ host: string; port: number }>;

  stats(instanceId: string): Promise<InstanceStats | undefined>;

  /**
   * For instances adopted after a control-plane restart: sends their output from now on to
   * `sink` (stdout too when `stdout`, i.e. for http servers). Runtimes whose instances cannot be
   * adopted do not have it.
   */
  followLogs?(instanceId: string, sink: LogSink, options: { stdout: boolean }): Promise<void>;
}
