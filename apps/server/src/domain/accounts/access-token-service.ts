import { hash } from "node:crypto";
import type { Clock } from "../../lib/clock.js";
import { DomainError, notFound } from "../../lib/errors.js";
import { newId, randomBase32 } from "../../lib/ids.js";
import type { AccessChanges } from "../authz/access-changes.js";
import type { Actor } from "../authz/actor.js";
import type { Store } from "../store.js";
import { scopesForRole } from "./account-service.js";
import type { AccessTokenRecord } from "./ports.js";
import type { Scope } from "./scopes.js";

/** Tokens look like `mch_<40 base32 chars>` (200 random bits); the prefix makes leaked ones greppable. */
export const TOKEN_PREFIX = "mch_";
const TOKEN_PATTERN = /^mch_[0-9a-z]{40}$/;
/** Recording last use on every request would be a write per call; a minute's precision is enough. */
const LAST_USED_PRECISION_MS = 60_000;

/** Tokens carry 200 random bits, so a fast hash is safe here (no dictionary to attack). */
function hashToken(token: string): string {
  return hash("sha256", token, "hex");
}

export function createAccessTokenService(deps: {
  store: Store;
  clock: Clock;
  accessChanges: Pick<AccessChanges, "notify">;
}) {
  const { store, clock } = deps;
  return {
    /** Returns the record and the token itself; the token is never retrievable again. */
    async create(
      actor: Actor,
      input: { name: string; scopes: Scope[]; expiresInDays?: number | undefined },
    ): Promise<{ record: AccessTokenRecord; token: string }> {
      const allowed = scopesForRole(actor.user.role);
      const refused = input.scopes.filter((s) => !allowed.has(s));
      if (refused.length > 0) {
        throw new DomainError("INSUFFICIENT_SCOPE", "Your role cannot grant these scopes", {
          fields: refused.map((s) => ({
            field: "scopes",
            detail: `not allowed for your role: ${s}`,
          })),
        });
      }
      // A token cannot mint a token stronger than itself.
      const beyondCaller = input.scopes.filter((s) => !actor.scopes.has(s));
      if (beyondCaller.length > 0) {
        throw new DomainError(
          "INSUFFICIENT_SCOPE",
          "A token cannot grant scopes it does not hold",
          {
            fields: beyondCaller.map((s) => ({ field: "scopes", detail: `not held: ${s}` })),
          },
        );
      }
      const now = clock.now();
      const token = `${TOKEN_PREFIX}${randomBase32(40)}`;
      const record: AccessTokenRecord = {
        id: newId("token"),
        userId: actor.user.id,
        name: input.name,
        tokenPrefix: token.slice(0, TOKEN_PREFIX.length + 6),
        scopes: [...new Set(input.scopes)],
        createdAt: now,
        expiresAt: input.expiresInDays
          ? new Date(now.getTime() + input.expiresInDays * 86_400_000)
          : null,
        lastUsedAt: null,
      };
      await store.accessTokens.insert({ ...record, tokenHash: hashToken(token) });
      return { record, token };
    },

    list(actor: Actor) {
      return store.accessTokens.listActive(actor.user.id, clock.now());
    },

    async revoke(actor: Actor, id: string) {
      if (!(await store.accessTokens.revoke(actor.user.id, id, clock.now())))
        throw notFound("Token");
      deps.accessChanges.notify();
    },

    /** Resolves a bearer token to an actor, or undefined for anything unknown, revoked or expired. */
    async authenticate(token: string): Promise<Actor | undefined> {
      if (!TOKEN_PATTERN.test(token)) return undefined;
      const now = clock.now();
      const record = await store.accessTokens.findActiveByHash(hashToken(token), now);
      if (!record) return undefined;
      const user = await store.users.findById(record.userId);
      if (!user) return undefined;
      if (
        !record.lastUsedAt ||
        now.getTime() - record.lastUsedAt.getTime() > LAST_USED_PRECISION_MS
      ) {
        await store.accessTokens.touch(record.id, now);
      }
      // A token outlives role changes: narrow its scopes to what the user may do today.
      const allowed = scopesForRole(user.role);
      const scopes = new Set(record.scopes.filter((s): s is Scope => allowed.has(s as Scope)));
      return { user, scopes, via: { kind: "token", tokenId: record.id } };
    },
  };
}

export type AccessTokenService = ReturnType<typeof createAccessTokenService>;
