import { EventEmitter } from "node:events";
import type { Invocation, InvocationRepository, NewInvocation } from "../domain/traces/ports.js";
import type { Clock } from "../lib/clock.js";

export interface InvocationWriterOptions {
  /** Invocations kept per server; older ones are pruned. */
  retention: number;
  /** How long invocations wait to be written together. */
  flushIntervalMs: number;
  /** A batch this large is written at once. */
  batchSize: number;
  /** Shortest time between two prunes of one server. */
  pruneIntervalMs: number;
  /** Invocations waiting to be written past this are dropped (the database is not keeping up). */
  maxBacklog: number;
}

/**
 * Buffers invocations and writes them in batches (one insert per MCP message would double the
 * gateway's database load), prunes each server to its retention, and publishes what was stored
 * for live feeds.
 */
export function createInvocationWriter(deps: {
  repository: InvocationRepository;
  clock: Clock;
  options: InvocationWriterOptions;
  onError: (err: unknown) => void;
}) {
  const { repository, clock, options } = deps;
  const feed = new EventEmitter();
  feed.setMaxListeners(0);
  let pending: NewInvocation[] = [];
  let backlog = 0;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const lastPrune = new Map<string, number>();

  async function writeBatch(batch: NewInvocation[]) {
    try {
      const stored = await repository.insertMany(batch);
      const byServer = new Map<string, Invocation[]>();
      for (const inv of stored) {
        const list = byServer.get(inv.serverId) ?? [];
        list.push(inv);
        byServer.set(inv.serverId, list);
      }
      for (const [serverId, items] of byServer) {
        try {
          feed.emit(`invocations:${serverId}`, items);
        } catch (err) {
          deps.onError(err); // a broken subscriber must not stop the writes
        }
        const now = clock.now().getTime();
        const last = lastPrune.get(serverId);
        if (last === undefined || now - last >= options.pruneIntervalMs) {
          lastPrune.set(serverId, now);
          await repository.prune(serverId, options.retention);
        }
      }
    } finally {
      backlog -= batch.length;
    }
    if (dropped > 0) {
      const n = dropped;
      dropped = 0;
      throw new Error(`${n} MCP invocations were not recorded: the database was not keeping up`);
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return flushing;
    // Batches are written one after another, so ids follow the order invocations ended in.
    flushing = flushing
      .then(() => writeBatch(batch))
      .catch((err) => {
        deps.onError(err);
      });
    return flushing;
  }

  return {
    add(invocation: NewInvocation) {
      if (backlog >= options.maxBacklog) {
        dropped++;
        return;
      }
      backlog++;
      pending.push(invocation);
      if (pending.length >= options.batchSize) void flush();
      else timer ??= setTimeout(() => void flush(), options.flushIntervalMs);
    },
    /** Writes everything added so far; resolves when it is stored (or failed and was reported). */
    flush,
    /** Calls `listener` with each batch of a server's invocations once stored, ids increasing. */
    onInvocations(serverId: string, listener: (items: Invocation[]) => void): () => void {
      feed.on(`invocations:${serverId}`, listener);
      return () => feed.off(`invocations:${serverId}`, listener);
    },
  };
}

export type InvocationWriter = ReturnType<typeof createInvocationWriter>;
