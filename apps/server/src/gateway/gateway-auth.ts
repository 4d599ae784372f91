import type { AccessTokenService } from "../domain/accounts/access-token-service.js";
import type { Actor } from "../domain/authz/actor.js";
import type { Policy } from "../domain/authz/policy.js";
import type { ServerKeyService } from "../domain/server-keys/server-key-service.js";
import type { Server } from "../domain/servers/server.js";
import { DomainError } from "../lib/errors.js";
import type { GatewayAuth, McpCredential } from "./ports.js";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const PUBLIC: McpCredential = Object.freeze({ id: "public", kind: "public" });

/**
 * Which credentials may use a server through the gateway:
 * - `Bearer mhk_...`: a live key of this very server;
 * - `Bearer mch_...`: a personal access token with the `mcp` scope whose user may operate the
 *   server (its owner, a member of its org, a site admin), or any such token on a public server;
 * - no Authorization header at all: only on a public server.
 * A credential that is sent but wrong, revoked, lacking the scope or of someone else is refused
 * even on a public server: a client that means to authenticate should hear that it failed rather
 * than silently become anonymous. Nothing here logs the header.
 */
export function createGatewayAuth(deps: {
  keys: Pick<ServerKeyService, "authenticate">;
  tokens: Pick<AccessTokenService, "authenticate">;
  policy: Pick<Policy, "authorizeOwned">;
}): GatewayAuth {
  const { keys, tokens, policy } = deps;

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
        const actor = await tokens.authenticate(credential);
        if (actor?.via.kind !== "token" || !actor.scopes.has("mcp")) return undefined;
        if (!server.public && !(await mayOperate(server, actor))) return undefined;
        return { id: actor.via.tokenId, kind: "access-token", userId: actor.user.id };
      }

      return undefined;
    },
  };
}
