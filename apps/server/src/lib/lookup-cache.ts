import type { Clock } from "./clock.js";

/**
 * A bounded in-process cache of reads keyed by a string, for lookups that run on every request
 * (the gateway admits each MCP call with a server and a credential read). What callers may rely on:
 * - a value is served for at most `ttlMs` after it was read. "Not found" (`undefined`) is cached
 *   too, so a flood of one unknown key reads the database once per TTL, not once per request;
 * - once `delete`, `deleteWhere` or `clear` has returned, the next `get` reads afresh, and no read
 *   that was already under way is stored or shared. Invalidate after the change is committed:
 *   then nothing stale can be cached behind it;
 * - concurrent `get`s of one key share one read;
 * - at most `maxEntries` values are kept; the least recently used goes first, so a flood of
 *   distinct unknown keys evicts entries instead of growing memory.
 */
export interface LookupCache<V> {
  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
  delete(key: string): void;
  /** Drops every entry whose value (`undefined` for a cached "not found") passes `test`. */
  deleteWhere(test: (value: V | undefined) => boolean): void;
  clear(): void;
  readonly size: number;
}

interface Entry<V> {
  value: V | undefined;
  expiresAt: number;
}

export function createLookupCache<V>(options: {
  ttlMs: number;
  maxEntries: number;
  clock: Clock;
  /** Values that must always be read afresh (default: every value is cached). */
  keep?: (value: V | undefined) => boolean;
}): LookupCache<V> {
  const { ttlMs, maxEntries, clock } = options;
  const keep = options.keep ?? (() => true);
  const entries = new Map<string, Entry<V>>();
  const reads = new Map<string, Promise<V | undefined>>();
  /** Bumped by every invalidation: a read that started before it must not be stored. */
  let epoch = 0;

  function invalidated() {
    epoch++;
    // Waiters keep their read; a later `get` must not join one that may predate the change.
    reads.clear();
  }

  return {
    get(key, load) {
      const now = clock.now().getTime();
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        if (hit.expiresAt > now) {
          entries.set(key, hit); // most recently used goes last
          return Promise.resolve(hit.value);
        }
      }
      const pending = reads.get(key);
      if (pending) return pending;
      const started = epoch;
      const read = load().then(
        (value) => {
          if (reads.get(key) === read) reads.delete(key);
          if (epoch === started && keep(value)) {
            if (entries.size >= maxEntries) {
              const oldest = entries.keys().next();
              if (!oldest.done) entries.delete(oldest.value);
            }
            entries.set(key, { value, expiresAt: clock.now().getTime() + ttlMs });
          }
          return value;
        },
        (err: unknown) => {
          if (reads.get(key) === read) reads.delete(key);
          throw err;
        },
      );
      reads.set(key, read);
      return read;
    },

    delete(key) {
      entries.delete(key);
      invalidated();
    },

    deleteWhere(test) {
      for (const [key, entry] of entries) if (test(entry.value)) entries.delete(key);
      invalidated();
    },

    clear() {
      entries.clear();
      invalidated();
    },

    get size() {
      return entries.size;
    },
  };
}
