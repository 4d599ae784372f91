export { apiTokens, sessions, users } from "./accounts.js";
export { orgInvitations, orgMembers, orgs } from "./orgs.js";
export { rateLimitCounters, settings } from "./system.js";
