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
  "admin",
] as const;

export type Scope = (typeof SCOPES)[number];

export const ALL_SCOPES: ReadonlySet<Scope> = new Set(SCOPES);
