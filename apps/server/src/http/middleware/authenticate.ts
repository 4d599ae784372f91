import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AccessTokenService } from "../../domain/accounts/access-token-service.js";
import type { AccountService } from "../../domain/accounts/account-service.js";
import type { Scope } from "../../domain/accounts/scopes.js";
import type { Actor } from "../../domain/authz/actor.js";
import { requireScope } from "../../domain/authz/policy.js";
import { DomainError } from "../../lib/errors.js";
import type { AppEnv } from "../app-env.js";

export const SESSION_COOKIE = "mcphost_session";

export function bearerToken(c: Context): string | undefined {
  const header = c.req.header("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/**
 * Resolves the request's credential to an actor: a bearer token if one is sent, else the session
 * cookie. A missing or invalid credential leaves the actor unset; routes that need one refuse then.
 */
export function authenticate(deps: { accounts: AccountService; tokens: AccessTokenService }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const bearer = bearerToken(c);
    let actor: Actor | undefined;
    if (bearer) {
      actor = await deps.tokens.authenticate(bearer);
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) actor = await deps.accounts.authenticateSession(cookie);
    }
    c.set("actor", actor);
    if (actor) c.set("logger", c.get("logger").child({ userId: actor.user.id }));
    await next();
  });
}

/** Route middleware: the request must be authenticated and its credential hold `scope`. */
export function requireAuth(scope: Scope) {
  return createMiddleware<AppEnv>(async (c, next) => {
    requireScope(actorOf(c), scope);
    await next();
  });
}

/** The authenticated actor; throws UNAUTHENTICATED when there is none. */
export function actorOf(c: Context<AppEnv>): Actor {
  const actor = c.get("actor");
  if (!actor) {
    throw new DomainError(
      "UNAUTHENTICATED",
      "Sign in, or send a personal access token as a Bearer",
    );
  }
  return actor;
}
