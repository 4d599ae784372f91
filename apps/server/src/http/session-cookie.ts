import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { ClientInfo } from "../domain/accounts/account-service.js";
import { SESSION_COOKIE } from "./middleware/authenticate.js";

export interface CookiePolicy {
  /** True when the public URL is https: the cookie is then never sent over plain HTTP. */
  secure: boolean;
  trustProxy: boolean;
}

export function setSessionCookie(c: Context, policy: CookiePolicy, token: string, expiresAt: Date) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: policy.secure,
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, policy: CookiePolicy) {
  deleteCookie(c, SESSION_COOKIE, {
    path: "/",
    secure: policy.secure,
    httpOnly: true,
    sameSite: "Lax",
  });
}

/**
 * The client's address: the socket's peer, or behind a trusted reverse proxy the address that proxy
 * appended last to X-Forwarded-For (earlier entries are whatever the client chose to send).
 */
export function clientInfo(c: Context, policy: CookiePolicy): ClientInfo {
  let ip = "unknown";
  if (policy.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) ip = forwarded;
  }
  if (ip === "unknown") {
    try {
      ip = getConnInfo(c).remote.address ?? "unknown";
    } catch {
      // Not served by @hono/node-server (e.g. app.request in a test): no socket to ask.
    }
  }
  return { ip, userAgent: c.req.header("user-agent") ?? null };
}
