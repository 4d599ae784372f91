import type { Scope } from "@mcphost/api-client";

/**
 * What each scope lets a token do, in the order the form lists them. Keyed by the generated
 * `Scope` type (the OpenAPI enum): a scope added to the API fails the type check here until it is
 * explained, and a removed one cannot linger.
 */
export const SCOPE_HELP: Record<Scope, string> = {
  "account:read": "see your account and list your tokens",
  "account:write": "change your password, create and revoke tokens",
  "orgs:read": "see your organizations, their members and invitations",
  "orgs:write": "create organizations, invite and manage members, answer invitations",
  "servers:read": "see your servers, their logs, traces and metrics",
  "servers:write": "create, change, start, stop and delete servers",
  mcp: "connect MCP clients to your servers",
  admin: "manage users, organizations and instance settings",
};

/** The scopes a token may be given by this reader: those their own session holds. */
export function grantableScopes(held: readonly Scope[]): Scope[] {
  return (Object.keys(SCOPE_HELP) as Scope[]).filter((scope) => held.includes(scope));
}
