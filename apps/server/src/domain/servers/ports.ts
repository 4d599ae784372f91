import type { OwnerRef } from "../authz/actor.js";
import type { Server } from "./server.js";
import type { ServerStatus } from "./server-status.js";

export type ServerPatch = Partial<
  Pick<
    Server,
    | "name"
    | "description"
    | "source"
    | "transport"
    | "env"
    | "limits"
    | "network"
    | "gpu"
    | "desiredState"
    | "sandboxed"
    | "resolvedVersion"
    | "redeployNeeded"
    | "public"
    | "sessionMode"
    | "maxSessions"
  >
>;

/** Fields the lifecycle worker keeps about the running instance and crash streaks. */
export interface ServerRuntimeState {
  generation: number;
  deployGeneration: number;
  deployedGeneration: number;
  currentInstanceId: string | null;
  restartCount: number;
  restartWindowStart: Date | null;
  runningSince: Date | null;
}

export interface ServerRepository {
  /** Locks the owner's row until the transaction ends and returns its server quota. */
  lockOwnerQuota(owner: OwnerRef): Promise<number | undefined>;
  countByOwner(owner: OwnerRef): Promise<number>;
  /** Throws DomainError CONFLICT when the slug is taken. */
  insert(server: Server): Promise<void>;
  slugExists(slug: string): Promise<boolean>;
  findById(id: string): Promise<Server | undefined>;
  findBySlug(slug: string): Promise<Server | undefined>;
  findRuntimeState(id: string): Promise<ServerRuntimeState | undefined>;
  /** Servers owned by the user or by orgs the user belongs to; every server when `all`. */
  listVisibleTo(userId: string, all: boolean): Promise<Server[]>;
  /** Servers anyone may use without a key, oldest first (the AI catalog lists them). */
  listPublic(): Promise<Server[]>;
  listIdsWanting(state: "running" | "stopped"): Promise<string[]>;
  listAllIds(): Promise<string[]>;
  /** Every server except those in `error` (they wait for their user). */
  listIdsNeedingReconcile(): Promise<string[]>;
  update(id: string, patch: ServerPatch, now: Date): Promise<Server | undefined>;
  updateRuntimeState(id: string, patch: Partial<ServerRuntimeState>): Promise<void>;
  /** Bumps the generation (restart) and optionally the deploy generation (redeploy). */
  bumpGeneration(id: string, redeploy: boolean, now: Date): Promise<void>;
  /** Sets the status only if it is still `from`; false when someone else changed it first. */
  compareAndSetStatus(
    id: string,
    from: ServerStatus,
    to: ServerStatus,
    reason: string | null,
    now: Date,
  ): Promise<boolean>;
  delete(id: string): Promise<void>;
}

export interface ServerEvent {
  id: number;
  serverId: string;
  owner: OwnerRef;
  kind: string;
  details: Record<string, unknown>;
  time: Date;
}

export interface ServerEventRepository {
  insert(event: Omit<ServerEvent, "id">): Promise<ServerEvent>;
  /** Deletes events older than `before`; returns how many. */
  deleteOlderThan(before: Date): Promise<number>;
  list(filter: {
    serverId: string;
    kinds?: string[] | undefined;
    excludeKinds?: string[] | undefined;
    since?: Date | undefined;
    until?: Date | undefined;
    afterId?: number | undefined;
    limit: number;
  }): Promise<ServerEvent[]>;
}

export interface ServerLogLine {
  id: number;
  serverId: string;
  time: Date;
  stream: "stdout" | "stderr" | "system";
  line: string;
}

export interface ServerLogRepository {
  insertMany(lines: Array<Omit<ServerLogLine, "id">>): Promise<ServerLogLine[]>;
  /** Lines after `afterId` (oldest first), or the newest `limit` lines before `beforeId`. */
  list(filter: {
    serverId: string;
    afterId?: number | undefined;
    beforeId?: number | undefined;
    limit: number;
  }): Promise<ServerLogLine[]>;
  /** Keeps the newest `keep` lines of a server. */
  prune(serverId: string, keep: number): Promise<void>;
}

/** One CPU and memory reading of a server's running instance. */
export interface ServerStatsSample {
  serverId: string;
  time: Date;
  /** Percent of one core, averaged since the previous reading. */
  cpuPercent: number;
  memoryBytes: number;
}

/** The CPU and memory history of servers, kept for a retention period. */
export interface ServerStatsRepository {
  /** Stores the samples; one that repeats a server's time is ignored. */
  insertMany(samples: ServerStatsSample[]): Promise<void>;
  /**
   * Samples taken in `[since, until)`, oldest first. With `bucketSeconds`, one per bucket that has
   * samples: the averages, at the bucket's start (a whole multiple of `bucketSeconds` since the
   * Unix epoch). At most `limit`: the newest.
   */
  list(query: {
    serverId: string;
    since: Date;
    until: Date;
    bucketSeconds?: number | undefined;
    limit: number;
  }): Promise<ServerStatsSample[]>;
  /** Deletes samples older than `before`; returns how many. */
  deleteOlderThan(before: Date): Promise<number>;
}

/** Publishes what happened, so live views (SSE) learn of it without polling. */
export interface ServerEventBus {
  publishEvent(event: ServerEvent): void;
  publishLogs(lines: ServerLogLine[]): void;
  onEvent(listener: (event: ServerEvent) => void): () => void;
  onLogs(serverId: string, listener: (lines: ServerLogLine[]) => void): () => void;
}
