import type { ProblemCode } from "../http/problem.js";

/** Why the gateway refuses an MCP request; the route renders it as problem+json. */
export class GatewayError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GatewayError";
  }
}
