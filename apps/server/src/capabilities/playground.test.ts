import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server as McpServer } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { everythingConnector, pagedToolsConnector } from "../../test/support/mcp-upstreams.js";
import { serverFixture } from "../../test/support/server-fixture.js";
import type { UpstreamConnector } from "../gateway/ports.js";
import { DomainError } from "../lib/errors.js";
import { createPlayground, PLAYGROUND_CLIENT_NAME } from "./playground.js";

const server = serverFixture({ id: "srv_play", status: "running" });

describe("the playground against server-everything over stdio", () => {
  it("calls the echo tool and reports the answer and how long it took", async () => {
    const { connector, opened, pids } = everythingConnector();
    const playground = createPlayground({ connector, version: "9.9.9" });

    const outcome = await playground.invoke(server, {
      method: "tools/call",
      params: { name: "echo", arguments: { message: "hello from the playground" } },
    });

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({
      content: [{ type: "text", text: "Echo: hello from the playground" }],
    });
    expect(outcome.latencyMs).toBeTypeOf("number");
    expect(outcome.latencyMs).toBeGreaterThan(0);
    expect(outcome.latencyMs).toBeLessThan(30_000);
    expect(opened).toEqual([
      {
        serverId: "srv_play",
        sessionId: null,
        client: { name: PLAYGROUND_CLIENT_NAME, version: "9.9.9" },
      },
    ]);
    // The session (and the instance made for it) ends with the call.
    expect(pids).toHaveLength(1);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && alive(pids[0] as number)) await sleep(20);
    expect(alive(pids[0] as number)).toBe(false);
  });
});

describe("answers that are not results", () => {
  it("returns the server's JSON-RPC error with a 200-worthy outcome, not an exception", async () => {
    const { connector } = pagedToolsConnector([["alpha"]]);
    const outcome = await createPlayground({ connector, version: "1" }).invoke(server, {
      method: "prompts/list",
    });
    expect(outcome.result).toBeUndefined();
    expect(outcome.error).toEqual({ code: -32601, message: "Method not found" });
    expect(outcome.latencyMs).toBeTypeOf("number");
  });

  it("gives up after timeoutMs with the protocol's timeout error", async () => {
    const slow: UpstreamConnector = {
      async open() {
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const upstream = new McpServer(
          { name: "slow", version: "1" },
          { capabilities: { tools: {} } },
        );
        upstream.setRequestHandler(CallToolRequestSchema, async () => {
          await sleep(2_000);
          return { content: [] };
        });
        await upstream.connect(serverSide);
        return clientSide;
      },
    };
    const outcome = await createPlayground({ connector: slow, version: "1" }).invoke(server, {
      method: "tools/call",
      params: { name: "slow" },
      timeoutMs: 100,
    });
    expect(outcome.error).toMatchObject({ code: -32001, message: "Request timed out" });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(90);
    expect(outcome.latencyMs).toBeLessThan(2_000);
  });

  it("reports a server it cannot reach as a connection error", async () => {
    const outcome = await createPlayground({
      connector: { open: () => Promise.reject(new Error("instance limit reached")) },
      version: "1",
    }).invoke(server, { method: "ping" });
    expect(outcome.error).toEqual({
      code: -32000,
      message: "Could not connect to the server: instance limit reached",
    });
  });
});

describe("what the playground refuses before connecting", () => {
  const { connector, opened } = pagedToolsConnector([["alpha"]]);
  const playground = createPlayground({ connector, version: "1" });

  it.each(["initialize", "notifications/initialized", "notifications/cancelled"])(
    "%s, naming the field method",
    async (method) => {
      const err = await playground.invoke(server, { method }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({
        code: "VALIDATION_FAILED",
        extra: { fields: [expect.objectContaining({ field: "method" })] },
      });
    },
  );

  it("a server that is not running", async () => {
    const stopped = serverFixture({ status: "stopped" });
    await expect(playground.invoke(stopped, { method: "tools/list" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("not running"),
    });
    expect(opened).toHaveLength(0);
  });
});

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
