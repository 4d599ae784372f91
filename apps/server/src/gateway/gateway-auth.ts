import { hash } from "node:crypto";
import type { AccessTokenService } from "../domain/accounts/access-token-service.js";
import type { AccessChanges } from "../domain/authz/access-changes.js";
import type { Actor } from "../domain/authz/actor.js";
import type { Policy } from "../domain/authz/policy.js";
import type { ServerKeyService } from "../domain/server-keys/server-key-service.js";
import type { Server } from "../domain/servers/server.js";
import type { Clock } from "../lib/clock.js";
import { DomainError } from "../lib/errors.js";
import { createLookupCache } from "../lib/lookup-cache.js";
import type { GatewayAuth, McpCredential } from "./ports.js";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const PUBLIC: McpCredential = Object.freeze({ id: "public", kind: "public" });
/**
 * How long an access token decision is trusted in this process. Changes made here (a token
 * revoked, a role or an org membership changed) drop every decision at once through
 * `AccessChanges`; made on another replica, they take effect here within this bound, as does a
 * token's expiry.
 */
export const TOKEN_DECISION_TTL_MS = 2_000;
const TOKEN_DECISION_MAX_ENTRIES = 10_000;

/**
 * Which credentials may use a server through the gateway:
 * - `Bearer mhk_...`: a live key of this very server;
 * - `Bearer mch_...`: a personal access token with the `mcp` scope whose user may operate the
 *   server (its owner, a member of its org, a site admin), or any such token on a public server;
 * - no Authorization header at all: only on a public server.
 * A credential that is sent but wrong, revoked, lacking the scope or of someone else is refused
 * even on a public server: a client that means to authenticate should hear that it failed rather
 * than silently become anonymous. Nothing here logs the header.
 *
 * Access token decisions (token, user, scopes, org role: three reads) are cached per server,
 * its owner and `public` setting, and a hash of the token; server keys are cached by
 * ServerKeyService itself.
 */
export function createGatewayAuth(deps: {
  keys: Pick<ServerKeyService, "authenticate">;
  tokens: Pick<AccessTokenService, "authenticate">;
  policy: Pick<Policy, "authorizeOwned">;
  accessChanges: Pick<AccessChanges, "subscribe">;
  clock: Clock;
}): GatewayAuth {
  const { keys, tokens, policy } = deps;
  const decisions = createLookupCache<McpCredential>({
    ttlMs: TOKEN_DECISION_TTL_MS,
    maxEntries: TOKEN_DECISION_MAX_ENTRIES,
    clock: deps.clock,
  });
  deps.accessChanges.subscribe(() => decisions.clear());

  async function mayOperate(server: Server, actor: Actor) {
    try {
      // `operate`, not `read`: calling a server's tools acts through it.
      await policy.authorizeOwned(actor, server.owner, "operate");
      return true;
    } catch (err) {
      if (err instanceof DomainError) return false;
      throw err;
    }
  }

  async function decideToken(server: Server, token: string): Promise<McpCredential | undefined> {
    const actor = await tokens.authenticate(token);
    if (actor?.via.kind !== "token" || !actor.scopes.has("mcp")) return undefined;
    if (!server.public && !(await mayOperate(server, actor))) return undefined;
    return { id: actor.via.tokenId, kind: "access-token", userId: actor.user.id };
  }

  return {
    async authenticate(server, authorization) {
      if (authorization === undefined || authorization.trim() === "") {
        return server.public ? PUBLIC : undefined;
      }
      const credential = BEARER.exec(authorization)?.[1];
      if (!credential) return undefined;

      if (credential.startsWith("mhk_")) {
        const key = await keys.authenticate(server.id, credential);
        return key ? { id: key.id, kind: "server-key" } : undefined;
      }

      if (credential.startsWith("mch_")) {
        // Everything about the server the decision depends on is in the key, so a server made
        // private or given another owner is decided afresh.
        const owner = server.owner.kind === "org" ? server.owner.orgId : server.owner.userId;
        const tokenHash = hash("sha256", credential, "hex");
        const key = `${server.id}:${owner}:${server.public ? "public" : "private"}:${tokenHash}`;
        return decisions.get(key, () => decideToken(server, credential));
      }

      return undefined;
    },
  };
}
