/**
 * What a personal access token may do. A browser session holds every scope its user's role allows;
 * a token holds only the scopes it was created with (and never more than its user's role allows).
 */
export const SCOPES = [
  "account:read",
  "account:write",
  "orgs:read",
  "orgs:write",
  "servers:read",
  "servers:write",
  /** Connect MCP clients, through the gateway, to servers the token's user may use. */
  "mcp",
  "admin",
] as const;

export type Scope = (typeof SCOPES)[number];

export const ALL_SCOPES: ReadonlySet<Scope> = new Set(SCOPES);
