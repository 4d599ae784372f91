export { apiTokens, sessions, users } from "./accounts.js";
export { mcpInvocations, serverApiKeys, serverCapabilities } from "./gateway.js";
export { orgInvitations, orgMembers, orgs } from "./orgs.js";
export { jobs, serverEvents, serverLogs, serverStatsSamples, servers } from "./servers.js";
export { rateLimitCounters, settings } from "./system.js";
