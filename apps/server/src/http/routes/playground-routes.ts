import { createRoute, z } from "@hono/zod-openapi";
import {
  checkInvocation,
  MAX_INVOKE_TIMEOUT_MS,
  type Playground,
} from "../../capabilities/playground.js";
import type { ServerService } from "../../domain/servers/server-service.js";
import { DomainError } from "../../lib/errors.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, jsonBody, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";

const Params = z.object({ serverId: idParam("serverId", "srv_0abc...") });

const InvokeSchema = z
  .object({
    method: z
      .string()
      .min(1)
      .max(200)
      .openapi({ example: "tools/call", description: "Any request but initialize" }),
    params: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ example: { name: "echo", arguments: { message: "hello" } } }),
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .max(MAX_INVOKE_TIMEOUT_MS)
      .optional()
      .openapi({ description: "How long to wait for the answer; 30000 by default" }),
  })
  .strict()
  .openapi("InvokeRequest");

const OutcomeSchema = z
  .object({
    result: z.record(z.string(), z.unknown()).optional(),
    error: z
      .object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() })
      .optional()
      .openapi({ description: "The JSON-RPC error the server (or the timeout) answered" }),
    latencyMs: z.number().openapi({ description: "The request's round trip" }),
  })
  .openapi("InvokeOutcome");

const invoke = createRoute({
  method: "post",
  path: "/servers/{serverId}/invoke",
  tags: ["Servers"],
  summary: "Send one MCP request to the server (the playground)",
  ...secured(
    "servers:write",
    "Opens a session of its own through the gateway (client `MCP Host playground`), sends the request, closes. The server's answer comes back with 200 whether it is a result or a JSON-RPC error. `initialize` and notifications are refused (400, field `method`); a server that is not running answers 409; 503 when this replica has no MCP gateway.",
  ),
  request: { params: Params, body: jsonBody(InvokeSchema) },
  responses: {
    200: jsonContent(OutcomeSchema, "The server's answer"),
    ...errorResponses(401, 403, 404, 409),
  },
});

export function createPlaygroundRoutes(deps: {
  servers: Pick<ServerService, "authorized">;
  /** Absent while no MCP gateway runs in this process. */
  playground: Playground | undefined;
}) {
  return newRouter().openapi(invoke, async (c) => {
    const server = await deps.servers.authorized(
      actorOf(c),
      c.req.valid("param").serverId,
      "operate",
    );
    const request = c.req.valid("json");
    checkInvocation(server, request);
    if (!deps.playground) {
      throw new DomainError(
        "SERVICE_UNAVAILABLE",
        "The MCP gateway is not running on this replica",
      );
    }
    return c.json(await deps.playground.invoke(server, request), 200);
  });
}
