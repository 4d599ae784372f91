/**
 * Told when who may use what has changed: a token revoked, a user's role, an org's members. The
 * gateway caches credential decisions (see gateway/gateway-auth.ts) and drops them on `notify`,
 * so such a change takes effect at once in this process. Call `notify` after the change is
 * committed, never inside its transaction: a read between the two would cache the old answer.
 */
export interface AccessChanges {
  notify(): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** Within one process; other replicas bound their staleness by the cache's TTL. */
export function createAccessChanges(): AccessChanges {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
