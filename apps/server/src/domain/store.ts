import type {
  AccessTokenRepository,
  RateLimiter,
  SessionRepository,
  SettingsRepository,
  UserRepository,
} from "./accounts/ports.js";
import type { OrgRepository } from "./orgs/ports.js";
import type { ServerKeyRepository } from "./server-keys/ports.js";
import type {
  ServerEventRepository,
  ServerLogRepository,
  ServerRepository,
  ServerStatsRepository,
} from "./servers/ports.js";
import type { InvocationRepository } from "./traces/ports.js";

/**
 * Every repository the domain uses, plus a way to run several operations atomically.
 * Inside `transaction`, the callback's store is bound to that transaction.
 */
export interface Store {
  users: UserRepository;
  sessions: SessionRepository;
  accessTokens: AccessTokenRepository;
  settings: SettingsRepository;
  rateLimits: RateLimiter;
  orgs: OrgRepository;
  servers: ServerRepository;
  serverEvents: ServerEventRepository;
  serverLogs: ServerLogRepository;
  serverStats: ServerStatsRepository;
  invocations: InvocationRepository;
  serverKeys: ServerKeyRepository;
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
}
