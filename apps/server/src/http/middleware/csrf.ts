import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { DomainError } from "../../lib/errors.js";
import type { AppEnv } from "../app-env.js";
import { bearerToken, SESSION_COOKIE } from "./authenticate.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return "invalid";
  }
}

/**
 * Cross-site request forgery guard for browser credentials. A state-changing request that would be
 * authenticated by the session cookie must prove it comes from our own pages: its Origin (or, when a
 * browser omits that, its Referer) must be one of `allowedOrigins`. A request that announces a foreign
 * Origin is refused even without a cookie, which stops login CSRF. Bearer-token requests are exempt:
 * a browser never attaches those on its own.
 */
export function csrfGuard(allowedOrigins: ReadonlySet<string>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || bearerToken(c)) return next();
    const origin = originOf(c.req.header("origin")) ?? originOf(c.req.header("referer"));
    const usesCookie = getCookie(c, SESSION_COOKIE) !== undefined;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      throw new DomainError("CSRF_REJECTED", `Requests from origin ${origin} are not accepted`);
    }
    if (usesCookie && origin === undefined) {
      throw new DomainError(
        "CSRF_REJECTED",
        "A cookie-authenticated request must carry an Origin or Referer header",
      );
    }
    await next();
  });
}

/** The public URL's origin; with the localhost default, its loopback spellings as well. */
export function allowedOriginsFor(
  publicUrl: string,
  isDefault: boolean,
  port: number,
): Set<string> {
  const origins = new Set([publicUrl]);
  if (isDefault) {
    origins.add(`http://127.0.0.1:${port}`);
    origins.add(`http://[::1]:${port}`);
  }
  return origins;
}
