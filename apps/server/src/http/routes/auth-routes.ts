import { createRoute, z } from "@hono/zod-openapi";
import type { AccountService } from "../../domain/accounts/account-service.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, jsonBody, jsonContent } from "../openapi.js";
import { newRouter } from "../router.js";
import { EmailSchema, PasswordSchema, toUserDto, UserSchema } from "../schemas.js";
import {
  type CookiePolicy,
  clearSessionCookie,
  clientInfo,
  setSessionCookie,
} from "../session-cookie.js";

const CredentialsSchema = z
  .object({ email: EmailSchema, password: PasswordSchema })
  .openapi("Credentials");

/** Login accepts any non-empty password: length rules belong to registration, not to checking. */
const LoginSchema = z.object({ email: EmailSchema, password: z.string().min(1).max(1024) });

const SessionSchema = z
  .object({ user: UserSchema, expiresAt: z.iso.datetime() })
  .openapi("Session", {
    description: "The signed-in user; the session itself is an httpOnly cookie",
  });

const tags = ["Auth"];

const register = createRoute({
  method: "post",
  path: "/auth/register",
  tags,
  summary: "Create an account and sign in",
  description:
    "The first account on an instance becomes admin. Later ones need open registration or an invitation.",
  request: { body: jsonBody(CredentialsSchema) },
  responses: {
    201: jsonContent(SessionSchema, "Account created; the session cookie is set"),
    ...errorResponses(403, 409, 429),
  },
});

const login = createRoute({
  method: "post",
  path: "/auth/login",
  tags,
  summary: "Sign in with email and password",
  request: { body: jsonBody(LoginSchema) },
  responses: {
    200: jsonContent(SessionSchema, "Signed in; the session cookie is set"),
    ...errorResponses(401, 403, 429),
  },
});

const logout = createRoute({
  method: "post",
  path: "/auth/logout",
  tags,
  summary: "Sign out: ends this session and clears the cookie",
  responses: { 204: { description: "Signed out" }, ...errorResponses(401, 403) },
});

export function createAuthRoutes(deps: { accounts: AccountService; cookies: CookiePolicy }) {
  const { accounts, cookies } = deps;
  return newRouter()
    .openapi(register, async (c) => {
      const session = await accounts.register(c.req.valid("json"), clientInfo(c, cookies));
      setSessionCookie(c, cookies, session.token, session.expiresAt);
      return c.json(
        { user: toUserDto(session.user), expiresAt: session.expiresAt.toISOString() },
        201,
      );
    })
    .openapi(login, async (c) => {
      const session = await accounts.login(c.req.valid("json"), clientInfo(c, cookies));
      setSessionCookie(c, cookies, session.token, session.expiresAt);
      return c.json(
        { user: toUserDto(session.user), expiresAt: session.expiresAt.toISOString() },
        200,
      );
    })
    .openapi(logout, async (c) => {
      const actor = actorOf(c);
      if (actor.via.kind === "session") await accounts.logout(actor.via.sessionId);
      clearSessionCookie(c, cookies);
      return c.body(null, 204);
    });
}
