import type { Config } from "../config/config.js";
import { allowedOriginsFor } from "../http/middleware/csrf.js";

/** What the guard refuses a request with; the caller renders it. */
export interface OriginRejection {
  status: 403;
  detail: string;
}

export interface OriginGuard {
  /**
   * Undefined when the request may go on. A request without `Origin` passes the origin check
   * (non-browser clients send none); one without `Host` passes the host check (browsers always
   * send it, so such a request cannot be a rebinding attack).
   */
  check(headers: { host?: string | null; origin?: string | null }): OriginRejection | undefined;
}

/** `scheme://host[:port]` in the canonical spelling URL gives it (lower case, default port dropped). */
function canonicalOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.origin === "null" ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/** The Host header values that name `origin`: `host` and, without a port, `host:defaultPort`. */
function hostsOf(origin: string): string[] {
  const url = new URL(origin);
  if (url.port !== "") return [url.host];
  return [url.host, `${url.host}:${url.protocol === "https:" ? 443 : 80}`];
}

/**
 * DNS-rebinding protection for the MCP endpoints, as the MCP transport spec asks: a page on another
 * site must not reach them from a user's browser, even by pointing its own name at our address.
 * Allowed origins are the public URL's, those in MCPHOST_ALLOWED_ORIGINS and, with the default
 * localhost URL, its 127.0.0.1 and [::1] spellings; `Host` must name one of them.
 */
export function createOriginGuard(
  config: Pick<Config, "publicUrl" | "publicUrlIsDefault" | "port" | "gateway">,
): OriginGuard {
  const origins = new Set<string>();
  for (const origin of [
    ...allowedOriginsFor(config.publicUrl, config.publicUrlIsDefault, config.port),
    ...config.gateway.allowedOrigins,
  ]) {
    const canonical = canonicalOrigin(origin);
    if (canonical) origins.add(canonical);
  }
  const hosts = new Set([...origins].flatMap(hostsOf));

  return {
    check({ host, origin }) {
      if (origin !== undefined && origin !== null) {
        const canonical = canonicalOrigin(origin.trim());
        if (!canonical || !origins.has(canonical)) {
          return { status: 403, detail: `Requests from origin ${origin} are not accepted` };
        }
      }
      if (host !== undefined && host !== null) {
        if (!hosts.has(host.trim().toLowerCase())) {
          return { status: 403, detail: `Requests for host ${host} are not accepted` };
        }
      }
      return undefined;
    },
  };
}
