import type { Invocation } from "@mcphost/api-client";

/** A recorded tools/call for tests; `over` changes any field. */
export function invocation(id: number, over: Partial<Invocation> = {}): Invocation {
  return {
    id,
    serverId: "srv_1",
    sessionId: "ses_1",
    clientName: "claude-code",
    clientVersion: "1.0.0",
    direction: "client",
    method: "tools/call",
    target: "echo",
    params: { name: "echo", arguments: { message: "hi" } },
    result: { content: [{ type: "text", text: "Echo: hi" }] },
    error: null,
    isError: false,
    latencyMs: 12.5,
    startedAt: "2026-01-01T12:00:00.000Z",
    ...over,
  };
}
