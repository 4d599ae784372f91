import type { Store } from "../domain/store.js";
import type { Db } from "./database.js";
import {
  createAccessTokenRepository,
  createSessionRepository,
} from "./repositories/credential-repositories.js";
import {
  createInvocationRepository,
  type InvocationRepositoryOptions,
} from "./repositories/invocation-repository.js";
import { createOrgRepository } from "./repositories/org-repository.js";
import {
  createServerEventRepository,
  createServerLogRepository,
} from "./repositories/server-activity-repositories.js";
import { createServerKeyRepository } from "./repositories/server-key-repository.js";
import {
  createServerRepository,
  type ServerRepositoryOptions,
} from "./repositories/server-repository.js";
import { createServerStatsRepository } from "./repositories/server-stats-repository.js";
import { createRateLimiter, createSettingsRepository } from "./repositories/system-repositories.js";
import { createUserRepository } from "./repositories/user-repository.js";

/** How repositories read and write for the engine behind the handle (each option says why). */
export type StoreOptions = ServerRepositoryOptions & InvocationRepositoryOptions;

/** What suits each engine: embedded PGlite decodes values and parses JSON at a cost of its own. */
export const storeOptionsFor = (kind: "pglite" | "postgres"): StoreOptions => ({
  jsonLists: kind === "pglite",
  copyInserts: kind === "pglite",
});

/**
 * Builds the domain's Store over a database handle; inside `transaction`, over that transaction.
 * `options` tune how repositories work for the engine behind `db` (`storeOptionsFor`).
 */
export function createStore(db: Db, options: StoreOptions = {}): Store {
  return {
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    accessTokens: createAccessTokenRepository(db),
    settings: createSettingsRepository(db),
    rateLimits: createRateLimiter(db),
    orgs: createOrgRepository(db),
    servers: createServerRepository(db, options),
    serverEvents: createServerEventRepository(db),
    serverLogs: createServerLogRepository(db),
    serverStats: createServerStatsRepository(db),
    invocations: createInvocationRepository(db, options),
    serverKeys: createServerKeyRepository(db),
    transaction: (fn) => db.transaction((tx) => fn(createStore(tx as unknown as Db, options))),
  };
}
