import type { LogLine } from "@mcphost/api-client";

/** How many lines the view keeps by default; past it the oldest go (a few MB of DOM and strings). */
export const DEFAULT_LOG_CAP = 5_000;

/** What the log view shows at one moment; a new object whenever anything in it changes. */
export interface LogSnapshot {
  /** The lines shown, oldest first (by id). The same array until the shown lines change. */
  lines: readonly LogLine[];
  paused: boolean;
  /** Distinct lines that arrived since Pause; they are shown on Resume. */
  heldCount: number;
  /** Lines dropped from the start to stay within `cap`. */
  dropped: number;
  /** The server has no line older than the first one shown. */
  reachedStart: boolean;
  cap: number;
}

/** Runs `flush` soon, once; the buffer asks again only after a flush. */
export type Scheduler = (flush: () => void) => void;

export interface LogBufferOptions {
  cap?: number;
  /** When queued lines are applied; by default the next animation frame, or 100 ms if sooner. */
  schedule?: Scheduler;
}

/**
 * The lines of one server's log tail, framework-free so its rules are testable on their own.
 * Live lines are queued and applied in one batch per flush, so a burst of a thousand lines costs
 * one render rather than a thousand. Lines are kept in id order without repeats (a resumed stream
 * and a history page may overlap), at most `cap` of them. While paused, new lines are held rather
 * than shown, so the view stands still; Resume shows them.
 */
export interface LogBuffer {
  /** Queues lines from the live stream; they appear at the next flush. Any order, repeats allowed. */
  add(lines: readonly LogLine[]): void;
  /** Applies the queued lines now (the scheduler calls this). */
  flush(): void;
  /** Puts older lines from history before the shown ones; `reachedStart`: the server has no more. */
  addOlder(lines: readonly LogLine[], reachedStart: boolean): void;
  pause(): void;
  resume(): void;
  /** Every line kept, shown or held, oldest first: what Download saves. */
  all(): LogLine[];
  getSnapshot(): LogSnapshot;
  /** Calls `listener` after each change of the snapshot; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export function createLogBuffer(options: LogBufferOptions = {}): LogBuffer {
  const cap = Math.max(1, options.cap ?? DEFAULT_LOG_CAP);
  const schedule = options.schedule ?? nextFrame;
  const listeners = new Set<() => void>();
  let queue: LogLine[] = [];
  let scheduled = false;
  let held: readonly LogLine[] = [];
  let snapshot: LogSnapshot = {
    lines: [],
    paused: false,
    heldCount: 0,
    dropped: 0,
    reachedStart: false,
    cap,
  };

  function publish(next: Partial<LogSnapshot>) {
    snapshot = { ...snapshot, ...next };
    for (const listener of listeners) listener();
  }

  /** Shows `merged`, dropping the oldest past the cap; the start is then no longer loaded. */
  function show(merged: readonly LogLine[], extra: Partial<LogSnapshot> = {}) {
    const over = merged.length - cap;
    if (over > 0) {
      publish({
        ...extra,
        lines: merged.slice(over),
        dropped: snapshot.dropped + over,
        reachedStart: false,
      });
    } else {
      publish({ ...extra, lines: merged });
    }
  }

  const buffer: LogBuffer = {
    add(lines) {
      if (lines.length === 0) return;
      queue.push(...lines);
      if (scheduled) return;
      scheduled = true;
      schedule(() => buffer.flush());
    },

    flush() {
      scheduled = false;
      if (queue.length === 0) return;
      const incoming = queue;
      queue = [];
      if (!snapshot.paused) {
        const merged = mergeLines(snapshot.lines, incoming);
        if (merged !== snapshot.lines) show(merged);
        return;
      }
      const fresh = withoutShown(snapshot.lines, incoming);
      const nextHeld = mergeLines(held, fresh);
      const added = nextHeld.length - held.length;
      if (added === 0) return;
      // Held lines past the cap would be dropped on Resume anyway; drop them now to bound memory.
      const over = nextHeld.length - cap;
      held = over > 0 ? nextHeld.slice(over) : nextHeld;
      publish({
        heldCount: snapshot.heldCount + added,
        ...(over > 0 ? { dropped: snapshot.dropped + over, reachedStart: false } : {}),
      });
    },

    addOlder(lines, reachedStart) {
      const first = snapshot.lines[0]?.id ?? Number.POSITIVE_INFINITY;
      const older = mergeLines([], lines).filter((line) => line.id < first);
      // History never pushes out what the reader came for: only as many as still fit are kept.
      const room = cap - snapshot.lines.length;
      const kept = older.slice(Math.max(0, older.length - room));
      const lost = kept.length < older.length;
      publish({
        lines: kept.length > 0 ? kept.concat(snapshot.lines) : snapshot.lines,
        reachedStart: reachedStart && !lost,
      });
    },

    pause() {
      if (snapshot.paused) return;
      buffer.flush();
      publish({ paused: true, heldCount: 0 });
    },

    resume() {
      if (!snapshot.paused) return;
      const merged = mergeLines(snapshot.lines, held.concat(queue));
      held = [];
      queue = [];
      show(merged, { paused: false, heldCount: 0 });
    },

    all() {
      return mergeLines(snapshot.lines, held.concat(queue)).slice();
    },

    getSnapshot: () => snapshot,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return buffer;
}

/**
 * `base` (in id order, no repeats) with the lines of `incoming` it lacks, in id order. Returns
 * `base` itself when nothing is new, so callers can tell "no change" by identity.
 */
export function mergeLines(base: readonly LogLine[], incoming: readonly LogLine[]): LogLine[] {
  if (incoming.length === 0) return base as LogLine[];
  const sorted = [...incoming].sort((a, b) => a.id - b.id);
  const last = base.at(-1)?.id ?? Number.NEGATIVE_INFINITY;
  // The usual case: a live batch, all newer than what is shown. No lookup table needed.
  if ((sorted[0] as LogLine).id > last) {
    const fresh = sorted.filter((line, i) => i === 0 || line.id !== sorted[i - 1]?.id);
    return base.concat(fresh);
  }
  const byId = new Map<number, LogLine>();
  for (const line of base) byId.set(line.id, line);
  const before = byId.size;
  for (const line of sorted) if (!byId.has(line.id)) byId.set(line.id, line);
  if (byId.size === before) return base as LogLine[];
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The lines of `incoming` that `shown` does not already hold. */
function withoutShown(shown: readonly LogLine[], incoming: readonly LogLine[]): LogLine[] {
  const last = shown.at(-1)?.id ?? Number.NEGATIVE_INFINITY;
  if (incoming.every((line) => line.id > last)) return [...incoming];
  const ids = new Set(shown.map((line) => line.id));
  return incoming.filter((line) => !ids.has(line.id));
}

/**
 * The next animation frame, or 100 ms if that comes first: frames stop in a background tab,
 * and the queue should not grow without bound there.
 */
function nextFrame(flush: () => void) {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    flush();
  };
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(run);
  setTimeout(run, 100);
}
