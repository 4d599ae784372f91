import type { GatewaySession, SessionStore } from "./ports.js";

/** Session records of this replica, in memory (see SessionStore for the multi-replica seam). */
export function createMemorySessionStore(): SessionStore {
  const sessions = new Map<string, GatewaySession>();
  return {
    get: (id) => sessions.get(id),
    put: (session) => void sessions.set(session.id, session),
    touch(id, now) {
      const session = sessions.get(id);
      if (session) session.lastActiveAt = now;
    },
    delete: (id) => void sessions.delete(id),
    listByServer: (serverId) => [...sessions.values()].filter((s) => s.serverId === serverId),
    countByServer(serverId) {
      let n = 0;
      for (const s of sessions.values()) if (s.serverId === serverId) n++;
      return n;
    },
    idleSince: (cutoff) => [...sessions.values()].filter((s) => s.lastActiveAt < cutoff),
    all: () => [...sessions.values()],
  };
}
