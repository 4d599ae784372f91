import type { OwnerRef } from "../authz/actor.js";
import { LIMITS, MAX_SESSIONS } from "./server-rules.js";

/** Where a server's code comes from. */
export type ServerSource =
  /** An npm package, installed once per version into the data folder at deploy time. */
  | { type: "npm"; package: string; version?: string | undefined; args?: string[] | undefined }
  /** An OCI image (Docker, later Kubernetes). */
  | { type: "image"; image: string; command?: string[] | undefined; args?: string[] | undefined }
  /** An executable on the host (process runtime, admins only: it runs host code). */
  | { type: "command"; command: string; args?: string[] | undefined }
  /**
   * An MCP server running elsewhere, reached over Streamable HTTP: MCP Host adds keys, tracing
   * and a stable URL. Header values may reference the server's variables as `${NAME}`, so
   * secrets live in `env` (never returned). Nothing runs locally: the `runtime` column is unused.
   */
  | {
      type: "remote";
      url: string;
      headers?: Record<string, string> | undefined;
      /** Set by an administrator: the URL may point at loopback or private addresses. */
      allowPrivateNetwork?: boolean | undefined;
    };

/** How clients talk to the server: its stdin/stdout, or Streamable HTTP on a port it listens on. */
export type ServerTransport = { type: "stdio" } | { type: "http"; port: number; path: string };

export type RuntimeKind = "process" | "docker";
export type RuntimeChoice = RuntimeKind | "auto";

export interface ResourceLimits {
  /** Memory ceiling in MiB. */
  memoryMb: number;
  /** CPU share in cores (0.5 = half a core). */
  cpus: number;
  /** Most processes/threads the server may create. */
  pids: number;
}

export const DEFAULT_LIMITS: ResourceLimits = {
  memoryMb: LIMITS.memoryMb.fallback,
  cpus: LIMITS.cpus.fallback,
  pids: LIMITS.pids.fallback,
};

/** Whether a sandboxed server may open outbound connections. */
export type NetworkPolicy = "outbound" | "none";

export type DesiredState = "running" | "stopped";

export type SessionMode = "session" | "shared";
export const DEFAULT_MAX_SESSIONS = MAX_SESSIONS.fallback;

export interface Server {
  id: string;
  owner: OwnerRef;
  name: string;
  slug: string;
  description: string;
  source: ServerSource;
  transport: ServerTransport;
  env: Record<string, string>;
  limits: ResourceLimits;
  network: NetworkPolicy;
  gpu: boolean;
  /** The runtime chosen at create time (`auto` is resolved then). */
  runtime: RuntimeKind;
  desiredState: DesiredState;
  status: import("./server-status.js").ServerStatus;
  /** Why the server is in `error` (or `unhealthy`/`crashloop`): shown to the user. */
  statusReason: string | null;
  /** False when the runtime cannot sandbox (process runtime without bubblewrap). */
  sandboxed: boolean;
  /** The npm version resolved at the last deploy (the "pinned" version). */
  resolvedVersion: string | null;
  /** Set when a change (source, env, limits...) takes effect only after a redeploy. */
  redeployNeeded: boolean;
  /** A public server takes MCP clients without a key. */
  public: boolean;
  /** stdio servers: one upstream per client session, or one shared by all (ids rewritten). */
  sessionMode: SessionMode;
  /** Most MCP sessions open at once through the gateway. */
  maxSessions: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The label every runtime resource carries, so the reconciler finds them without memory. */
export const SERVER_ID_LABEL = "mcphost.server-id";
export const MANAGED_BY_LABEL = "mcphost.managed-by";
/**
 * Which MCP Host installation started an instance. Two installations (or test runs) sharing a
 * Docker engine or a host never touch each other's instances: sweeps filter on this label.
 */
export const INSTALLATION_LABEL = "mcphost.installation";
