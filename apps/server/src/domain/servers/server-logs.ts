import type { Store } from "../store.js";
import type { ServerEventBus, ServerLogLine } from "./ports.js";

export interface ServerLogOptions {
  /** Lines kept per server; older ones are pruned. */
  retentionLines: number;
  /** How long lines wait to be written together. */
  flushIntervalMs: number;
  /** Longest stored line; longer ones are cut and marked. */
  maxLineLength: number;
}

export const DEFAULT_LOG_OPTIONS: ServerLogOptions = {
  retentionLines: 10_000,
  flushIntervalMs: 100,
  maxLineLength: 8192,
};

type PendingLine = Omit<ServerLogLine, "id">;

/**
 * Buffers server output and lifecycle messages and writes them in batches (a chatty server would
 * otherwise cost one insert per line), then publishes the stored lines for live tails.
 */
export function createServerLogs(deps: {
  store: Store;
  bus: ServerEventBus;
  options?: Partial<ServerLogOptions>;
  /** Told when a batch could not be stored (the lines are lost; the server keeps running). */
  onError?: (err: unknown) => void;
}) {
  const options = { ...DEFAULT_LOG_OPTIONS, ...deps.options };
  let pending: PendingLine[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const writesSincePrune = new Map<string, number>();

  async function writeBatch(batch: PendingLine[]) {
    const stored = await deps.store.serverLogs.insertMany(batch);
    const byServer = new Map<string, ServerLogLine[]>();
    for (const line of stored) {
      const list = byServer.get(line.serverId) ?? [];
      list.push(line);
      byServer.set(line.serverId, list);
    }
    for (const [serverId, lines] of byServer) {
      deps.bus.publishLogs(lines);
      const written = (writesSincePrune.get(serverId) ?? 0) + lines.length;
      // Pruning every batch would double the write load; every tenth of the retention is enough.
      if (written >= Math.max(100, options.retentionLines / 10)) {
        writesSincePrune.set(serverId, 0);
        await deps.store.serverLogs.prune(serverId, options.retentionLines);
      } else {
        writesSincePrune.set(serverId, written);
      }
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return flushing;
    // Batches are written in order, so ids follow arrival order.
    flushing = flushing.then(() => writeBatch(batch)).catch((err) => deps.onError?.(err));
    return flushing;
  }

  return {
    append(serverId: string, stream: ServerLogLine["stream"], line: string, time = new Date()) {
      const text =
        line.length > options.maxLineLength
          ? `${line.slice(0, options.maxLineLength)} [truncated]`
          : line;
      pending.push({ serverId, stream, line: text, time });
      timer ??= setTimeout(() => void flush(), options.flushIntervalMs);
    },
    /** Writes everything appended so far; resolves when it is stored. */
    flush,
  };
}

export type ServerLogs = ReturnType<typeof createServerLogs>;
