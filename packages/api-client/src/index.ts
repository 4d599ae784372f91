export { ApiError, type FieldError, type Problem } from "./api-error.js";
export { type ApiClient, type ApiClientOptions, createApiClient } from "./client.js";
export type { components, paths } from "./schema.js";

import type { components } from "./schema.js";

type Schemas = components["schemas"];

export type AccessToken = Schemas["AccessToken"];
export type ClientConfig = Schemas["ClientConfig"];
export type CreateServer = Schemas["CreateServer"];
export type CreatedServer = Schemas["CreatedServer"];
export type CreatedServerKey = Schemas["CreatedServerKey"];
export type Invocation = Schemas["Invocation"];
export type InvocationSummary = Schemas["InvocationSummary"];
export type InvocationBucket = InvocationSummary["buckets"][number];
export type InvokeOutcome = Schemas["InvokeOutcome"];
export type LogLine = Schemas["LogLine"];
export type McpSession = Schemas["McpSession"];
export type Me = Schemas["Me"];
export type Org = Schemas["Org"];
export type OrgInvitation = Schemas["OrgInvitation"];
export type OrgMember = Schemas["OrgMember"];
export type OrgRole = Schemas["OrgRole"];
export type Scope = Schemas["Scope"];
export type Server = Schemas["Server"];
export type ServerCapabilities = Schemas["ServerCapabilities"];
export type ServerEvent = Schemas["ServerEvent"];
export type ServerFile = Schemas["ServerFile"];
export type ServerKey = Schemas["ServerKey"];
export type ServerStats = Schemas["ServerStats"];
export type ServerStatsSample = Schemas["ServerStatsSample"];
export type ServerStatus = Server["status"];
export type UpdateServer = Schemas["UpdateServer"];
export type User = Schemas["User"];
