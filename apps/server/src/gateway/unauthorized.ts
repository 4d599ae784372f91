import type { Context } from "hono";
import { problem } from "../http/problem.js";

/** The MCP endpoint of a server, which is also its OAuth "resource" identifier (RFC 8707). */
export function mcpResourceUrl(publicUrl: string, slug: string): string {
  return `${publicUrl}/mcp/${encodeURIComponent(slug)}`;
}

/** Where the server's protected-resource metadata (RFC 9728) is served. */
export function protectedResourceMetadataUrl(publicUrl: string, slug: string): string {
  return `${publicUrl}/.well-known/oauth-protected-resource/mcp/${encodeURIComponent(slug)}`;
}

/**
 * The 401 an MCP endpoint answers when `GatewayAuth` accepts no credential: problem+json
 * (`UNAUTHENTICATED`) with a `WWW-Authenticate: Bearer` challenge that points MCP clients at the
 * server's protected-resource metadata, as the MCP authorization spec asks. `invalidToken`: a
 * credential was sent and refused (RFC 6750 `error="invalid_token"`), as opposed to none at all.
 */
export function unauthorized(
  c: Context,
  target: { publicUrl: string; slug: string; invalidToken?: boolean },
): Response {
  const metadata = protectedResourceMetadataUrl(target.publicUrl, target.slug);
  const challenge = target.invalidToken
    ? `Bearer error="invalid_token", resource_metadata="${metadata}"`
    : `Bearer resource_metadata="${metadata}"`;
  return problem(
    c,
    "UNAUTHENTICATED",
    target.invalidToken
      ? "The credential is not valid for this server (unknown, revoked, or not allowed to use it)"
      : "This server needs a credential: send its key (mhk_...) or an access token with the mcp scope as a Bearer",
    { headers: { "www-authenticate": challenge } },
  );
}
