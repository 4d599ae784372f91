import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import { Hono } from "hono";
import type { Server } from "../../domain/servers/server.js";
import type { Gateway } from "../../gateway/gateway.js";
import { GatewayError } from "../../gateway/gateway-error.js";
import type { OriginGuard } from "../../gateway/origin-guard.js";
import type { GatewayAuth, McpCredential } from "../../gateway/ports.js";
import { readJsonBody } from "../../gateway/request-body.js";
import type { ServerLookup } from "../../gateway/server-lookup.js";
import { unauthorized } from "../../gateway/unauthorized.js";
import type { AppEnv } from "../app-env.js";
import { problem } from "../problem.js";

/** The HTTP+SSE transport writes to Node's request and response objects. */
type McpEnv = AppEnv & { Bindings: HttpBindings };

/**
 * The MCP endpoints: `/mcp/{slug}` (Streamable HTTP) and `/mcp/{slug}/sse` with its message
 * endpoint (HTTP+SSE, 2024-11-05). Each request is checked in this order: the server exists,
 * Origin and Host are ours (DNS rebinding), the credential may use the server. Then the gateway
 * takes over. Not in the OpenAPI document: the MCP specification describes these.
 */
export function createMcpRoutes(deps: {
  /** Cached: this runs on every MCP call (see gateway/server-lookup.ts). */
  servers: Pick<ServerLookup, "findBySlug">;
  gateway: Gateway;
  auth: GatewayAuth;
  originGuard: OriginGuard;
  publicUrl: string;
}) {
  const { gateway } = deps;
  const app = new Hono<McpEnv>();

  /** The server and credential of an MCP request, or the response refusing it. */
  async function admit(
    c: Context<McpEnv>,
  ): Promise<{ server: Server; credential: McpCredential } | Response> {
    const slug = c.req.param("slug") ?? "";
    const rejection = deps.originGuard.check({
      host: c.req.header("host"),
      origin: c.req.header("origin"),
    });
    if (rejection) return problem(c, "FORBIDDEN", rejection.detail);
    const server = await deps.servers.findBySlug(slug);
    if (!server) return problem(c, "NOT_FOUND", `No MCP server at /mcp/${slug}`);
    const authorization = c.req.header("authorization");
    const credential = await deps.auth.authenticate(server, authorization);
    if (!credential)
      return unauthorized(c, { publicUrl: deps.publicUrl, slug, invalidToken: !!authorization });
    return { server, credential };
  }

  const refused = (c: Context<McpEnv>, err: unknown) => {
    if (err instanceof GatewayError)
      return problem(c, err.code, err.message, { headers: err.headers });
    throw err;
  };

  app.on(["GET", "POST", "DELETE"], "/mcp/:slug", async (c) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    try {
      // Proxied answers and event streams are written to Node's response directly, past the
      // middleware that would add the request id; set here, it also joins any Response's headers.
      c.env.outgoing.setHeader("x-request-id", c.get("requestId"));
      const answer = await gateway.handleStreamable(
        admitted.server,
        admitted.credential,
        c.req.raw,
        c.env,
      );
      return answer ?? RESPONSE_ALREADY_SENT;
    } catch (err) {
      return refused(c, err);
    }
  });

  app.get("/mcp/:slug/sse", async (c) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    try {
      const endpoint = `/mcp/${admitted.server.slug}/message`;
      await gateway.openSse(admitted.server, admitted.credential, c.env.outgoing, endpoint);
      return RESPONSE_ALREADY_SENT;
    } catch (err) {
      return refused(c, err);
    }
  });

  app.post("/mcp/:slug/message", async (c) => {
    const admitted = await admit(c);
    if (admitted instanceof Response) return admitted;
    const sessionId = c.req.query("sessionId") ?? "";
    let body: unknown;
    try {
      body = (await readJsonBody(c.env.incoming)).body;
    } catch (err) {
      return refused(c, err);
    }
    const handled = await gateway.postSse(
      admitted.server,
      admitted.credential,
      sessionId,
      c.env.incoming,
      c.env.outgoing,
      body,
    );
    return handled
      ? RESPONSE_ALREADY_SENT
      : problem(c, "NOT_FOUND", "No such session: open a new one at /sse");
  });

  return app;
}
