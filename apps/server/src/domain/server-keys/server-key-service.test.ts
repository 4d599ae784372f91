import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/test-database.js";
import type { Database } from "../../db/database.js";
import { createStore } from "../../db/store.js";
import { ManualClock } from "../../lib/clock.js";
import { scopesForRole } from "../accounts/account-service.js";
import type { Actor } from "../authz/actor.js";
import { DEFAULT_LIMITS, type Server } from "../servers/server.js";
import type { Store } from "../store.js";
import { createServerKeyService, KEY_CACHE_TTL_MS } from "./server-key-service.js";

/**
 * What caching keys in memory must not break: revocation and rotation take effect at once, a
 * flood of one bad key reads the database once per TTL, and use is still recorded once a minute.
 */
let database: Database;
let drop: () => Promise<void>;
let store: Store;
let server: Server;
let actor: Actor;
const reads = { findActiveByHash: 0, touch: 0 };

/** The real store, counting the key reads and writes the gateway's hot path makes. */
function counting(real: Store): Store {
  const serverKeys = {
    ...real.serverKeys,
    findActiveByHash: (hash: string) => {
      reads.findActiveByHash++;
      return real.serverKeys.findActiveByHash(hash);
    },
    touch: (id: string, now: Date) => {
      reads.touch++;
      return real.serverKeys.touch(id, now);
    },
  };
  return { ...real, serverKeys };
}

beforeAll(async () => {
  ({ database, drop } = await createTestDatabase());
  store = createStore(database.db);
  const user = await store.users.insert({
    id: "usr_keys",
    email: "keys@example.com",
    passwordHash: "x",
    role: "user",
    serverQuota: 10,
    createdAt: new Date(),
  });
  actor = { user, scopes: scopesForRole("user"), via: { kind: "session", sessionId: "ses_k" } };
  const now = new Date();
  server = {
    id: "srv_keys",
    owner: { kind: "user", userId: user.id },
    name: "Keys",
    slug: "keys",
    description: "",
    source: { type: "command", command: "true" },
    transport: { type: "stdio" },
    env: {},
    limits: DEFAULT_LIMITS,
    network: "outbound",
    gpu: false,
    runtime: "process",
    desiredState: "stopped",
    status: "created",
    statusReason: null,
    sandboxed: true,
    resolvedVersion: null,
    redeployNeeded: false,
    public: false,
    sessionMode: "session",
    maxSessions: 50,
    createdAt: now,
    updatedAt: now,
  };
  await store.servers.insert(server);
});
afterAll(() => drop?.());

function service(clock = new ManualClock()) {
  return {
    clock,
    keys: createServerKeyService({
      store: counting(store),
      servers: { authorized: async () => server },
      clock,
    }),
  };
}

describe("server key authentication, cached", () => {
  it("reads the database once per TTL for a flood of one unknown key", async () => {
    const { keys, clock } = service();
    const bad = `mhk_${"a".repeat(40)}`;
    const before = reads.findActiveByHash;
    await Promise.all(Array.from({ length: 20 }, () => keys.authenticate(server.id, bad)));
    for (let i = 0; i < 20; i++) expect(await keys.authenticate(server.id, bad)).toBeUndefined();
    expect(reads.findActiveByHash - before).toBe(1);
    clock.advance(KEY_CACHE_TTL_MS);
    await keys.authenticate(server.id, bad);
    expect(reads.findActiveByHash - before).toBe(2);
  });

  it("refuses a revoked key on the very next request", async () => {
    const { keys } = service();
    const { key, record } = await keys.create(actor, server.id, { name: "to-revoke" });
    expect(await keys.authenticate(server.id, key)).toMatchObject({ id: record.id });
    expect(await keys.authenticate(server.id, key)).toMatchObject({ id: record.id }); // cached
    await keys.revoke(actor, server.id, record.id);
    expect(await keys.authenticate(server.id, key)).toBeUndefined();
  });

  it("refuses a rotated-away secret at once and takes the new one at once", async () => {
    const { keys } = service();
    const { key, record } = await keys.create(actor, server.id, { name: "to-rotate" });
    expect(await keys.authenticate(server.id, key)).toMatchObject({ id: record.id });
    const rotated = await keys.rotate(actor, server.id, record.id);
    expect(await keys.authenticate(server.id, key)).toBeUndefined();
    expect(await keys.authenticate(server.id, rotated.key)).toMatchObject({ id: record.id });
  });

  it("refuses another server's key even when it is cached", async () => {
    const { keys } = service();
    const { key } = await keys.create(actor, server.id, { name: "elsewhere" });
    expect(await keys.authenticate(server.id, key)).toBeDefined();
    expect(await keys.authenticate("srv_other", key)).toBeUndefined();
  });

  it("records use once a minute without reading the key again", async () => {
    const { keys, clock } = service();
    const { key, record } = await keys.create(actor, server.id, { name: "used" });
    const before = { ...reads };
    await Promise.all(Array.from({ length: 5 }, () => keys.authenticate(server.id, key)));
    expect(reads.touch - before.touch).toBe(1);
    clock.advance(30_000); // past the cache's TTL, within the minute: read again, not written
    await keys.authenticate(server.id, key);
    expect(reads.touch - before.touch).toBe(1);
    clock.advance(31_000);
    await keys.authenticate(server.id, key);
    expect(reads.touch - before.touch).toBe(2);
    const [listed] = (await store.serverKeys.listActive(server.id)).filter(
      (k) => k.id === record.id,
    );
    expect(listed?.lastUsedAt?.getTime()).toBe(clock.now().getTime());
  });
});
