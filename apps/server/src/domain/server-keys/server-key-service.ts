import { hash } from "node:crypto";
import type { Clock } from "../../lib/clock.js";
import { DomainError, notFound } from "../../lib/errors.js";
import { newId, randomBase32 } from "../../lib/ids.js";
import { createLookupCache } from "../../lib/lookup-cache.js";
import type { Actor } from "../authz/actor.js";
import type { Server } from "../servers/server.js";
import type { ServerService } from "../servers/server-service.js";
import type { Store } from "../store.js";
import type { ServerKeyRecord } from "./ports.js";

/** Keys look like `mhk_<40 base32 chars>` (200 random bits); the prefix makes leaked ones greppable. */
export const SERVER_KEY_PREFIX = "mhk_";
const KEY_PATTERN = /^mhk_[0-9a-z]{40}$/;
/** What lists show of a key: `mhk_` and 6 more characters. */
const DISPLAY_PREFIX_LENGTH = 10;
/** Enough for one key per client plus rotation overlap; more usually means keys are not revoked. */
export const MAX_ACTIVE_KEYS_PER_SERVER = 20;
/** Recording last use on every MCP request would be a write per call; a minute's precision is enough. */
const LAST_USED_PRECISION_MS = 60_000;

/**
 * How long this process trusts what it read about a key. Revoking or rotating here drops it at
 * once; a change made by another replica takes effect here within this bound.
 */
export const KEY_CACHE_TTL_MS = 2_000;
/** Bounds memory under a flood of distinct unknown keys (each still costs one read). */
const KEY_CACHE_MAX_ENTRIES = 10_000;

/**
 * Keys carry 200 random bits, so a fast hash is safe here (no dictionary to attack). One-shot
 * `hash`: a `createHash` object per MCP request cost four times as much.
 */
function hashKey(key: string): string {
  return hash("sha256", key, "hex");
}

function newSecret() {
  const key = `${SERVER_KEY_PREFIX}${randomBase32(40)}`;
  return { key, keyHash: hashKey(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** A key and its record; the key is shown once and never retrievable again. */
export interface IssuedServerKey {
  record: ServerKeyRecord;
  key: string;
}

/**
 * API keys for the MCP gateway, one set per server. Managing them needs `manage` on the server,
 * listing them `read`; a server the actor may not see answers NOT_FOUND, like its keys.
 */
export function createServerKeyService(deps: {
  store: Store;
  servers: Pick<ServerService, "authorized">;
  clock: Clock;
}) {
  const { store, servers, clock } = deps;
  /**
   * Live keys by hash, as the gateway authenticates every MCP request with one. Entries are our
   * own copies: `lastUsedAt` is advanced in place when a use is recorded, so the once-a-minute
   * write needs no read. Only hashes are kept, never keys.
   */
  const byHash = createLookupCache<ServerKeyRecord>({
    ttlMs: KEY_CACHE_TTL_MS,
    maxEntries: KEY_CACHE_MAX_ENTRIES,
    clock,
  });
  const forgetKey = (keyId: string) => byHash.deleteWhere((record) => record?.id === keyId);

  async function issue(serverId: string, name: string): Promise<IssuedServerKey> {
    const { key, keyHash, prefix } = newSecret();
    const record: ServerKeyRecord = {
      id: newId("serverKey"),
      serverId,
      name,
      prefix,
      createdAt: clock.now(),
      lastUsedAt: null,
    };
    await store.transaction(async (tx) => {
      if (!(await tx.serverKeys.lockServer(serverId))) throw notFound("Server");
      if ((await tx.serverKeys.countActive(serverId)) >= MAX_ACTIVE_KEYS_PER_SERVER) {
        throw new DomainError(
          "QUOTA_EXCEEDED",
          `A server may have at most ${MAX_ACTIVE_KEYS_PER_SERVER} active keys; revoke one first`,
        );
      }
      await tx.serverKeys.insert({ ...record, keyHash });
    });
    byHash.delete(keyHash); // a "not found" for it, however unlikely, must not outlive the insert
    return { record, key };
  }

  return {
    async create(actor: Actor, serverId: string, input: { name: string }) {
      const server = await servers.authorized(actor, serverId, "manage");
      return issue(server.id, input.name);
    },

    /**
     * The key handed out with a server its creator just made. Creating the server was the
     * authorization: an org member may create a server in the org without being allowed to manage
     * its keys, and still needs a way in (their own token with the `mcp` scope could use it anyway).
     * Call it only right after `ServerService.create` returned `server`.
     */
    createInitial(server: Server): Promise<IssuedServerKey> {
      return issue(server.id, "default");
    },

    async list(actor: Actor, serverId: string): Promise<ServerKeyRecord[]> {
      const server = await servers.authorized(actor, serverId, "read");
      return store.serverKeys.listActive(server.id);
    },

    /** A new secret for the same key (id and name); the old one stops working at once. */
    async rotate(actor: Actor, serverId: string, keyId: string): Promise<IssuedServerKey> {
      const server = await servers.authorized(actor, serverId, "manage");
      const { key, keyHash, prefix } = newSecret();
      const record = await store.serverKeys.replaceSecret(server.id, keyId, { keyHash, prefix });
      if (!record) throw notFound("Key");
      forgetKey(keyId);
      return { record, key };
    },

    async revoke(actor: Actor, serverId: string, keyId: string): Promise<void> {
      const server = await servers.authorized(actor, serverId, "manage");
      if (!(await store.serverKeys.revoke(server.id, keyId, clock.now()))) throw notFound("Key");
      forgetKey(keyId);
    },

    /** The live key of server `serverId` that `key` is, or undefined (unknown, revoked, another server's). */
    async authenticate(serverId: string, key: string): Promise<ServerKeyRecord | undefined> {
      if (!KEY_PATTERN.test(key)) return undefined;
      const keyHash = hashKey(key);
      const record = await byHash.get(keyHash, async () => {
        const found = await store.serverKeys.findActiveByHash(keyHash);
        return found && { ...found };
      });
      if (!record || record.serverId !== serverId) return undefined;
      const now = clock.now();
      if (
        !record.lastUsedAt ||
        now.getTime() - record.lastUsedAt.getTime() > LAST_USED_PRECISION_MS
      ) {
        // Set before the write, so concurrent requests do not each record the same use.
        record.lastUsedAt = now;
        await store.serverKeys.touch(record.id, now);
      }
      return { ...record };
    },
  };
}

export type ServerKeyService = ReturnType<typeof createServerKeyService>;
