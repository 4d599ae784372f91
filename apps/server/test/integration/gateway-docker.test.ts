import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import {
  answerSampling,
  bearer,
  connectStreamable,
  type DeployedServer,
  deployEverything,
  EVERYTHING_NAME,
  postRpc,
  removeServer,
  textOf,
  waitFor,
} from "../support/mcp-clients.js";
import { dockerRuntime, skipWithoutDocker } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const docker = new Dockerode();
/** Containers (running or not) of one instance. */
const containersOf = (instanceId: string) =>
  docker.listContainers({ all: true, filters: { label: [`mcphost.instance-id=${instanceId}`] } });

describe.skipIf(skipWithoutDocker)(
  `the gateway in front of a stdio server on Docker${skipWithoutDocker ? ` (${skipWithoutDocker})` : ""}`,
  () => {
    let s: TestServer;
    let owner: ApiClient;
    let everything: DeployedServer;
    let everythingHttp: DeployedServer;
    let cleanup: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const d = await dockerRuntime();
      cleanup = d.cleanup;
      s = await startTestServer({ runtimesFor: () => ({ docker: d.runtime }) });
      owner = (await signUp(s.client(), "owner@example.com")).client;
      [everything, everythingHttp] = await Promise.all([
        deployEverything(owner, "Everything in Docker", { runtime: "docker" }),
        deployEverything(owner, "Everything HTTP in Docker", {
          runtime: "docker",
          args: ["streamableHttp"],
          transport: { type: "http", port: 3001, path: "/mcp" },
        }),
      ]);
    }, 180_000);
    afterAll(async () => {
      // Server instances outlive the control plane by design: remove the server's container.
      if (everything) await removeServer(owner, everything.id);
      if (everythingHttp) await removeServer(owner, everythingHttp.id);
      await s?.close();
      await cleanup?.();
    });

    it("runs each MCP session in a container of its own, removed when the session ends", async () => {
      const url = `${s.url}/mcp/${everything.slug}`;
      const a = await connectStreamable(url, {
        headers: bearer(everything.apiKey),
        capabilities: { sampling: {} },
      });
      expect(a.client.getServerVersion()?.name).toBe(EVERYTHING_NAME);
      const names = (await a.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(["echo", "trigger-sampling-request"]));
      expect(
        textOf(await a.client.callTool({ name: "echo", arguments: { message: "whale" } })),
      ).toBe("Echo: whale");
      const asked = answerSampling(a.client, "sampled from a container");
      const sampled = await a.client.callTool({
        name: "trigger-sampling-request",
        arguments: { prompt: "from Docker" },
      });
      expect(asked).toEqual([expect.stringContaining("from Docker")]);
      expect(textOf(sampled)).toContain("sampled from a container");

      const sessionA = a.transport.sessionId as string;
      const instanceA = s.mcphost.gateway.sessions.get(sessionA)?.instanceId as string;
      const [containerA] = await containersOf(instanceA);
      expect(containerA?.State).toBe("running");
      expect(containerA?.Labels["mcphost.server-id"]).toBe(everything.id);

      // A second session gets another container.
      const b = await connectStreamable(url, { headers: bearer(everything.apiKey) });
      const instanceB = s.mcphost.gateway.sessions.get(b.transport.sessionId as string)
        ?.instanceId as string;
      expect(instanceB).not.toBe(instanceA);
      expect((await containersOf(instanceB))[0]?.State).toBe("running");

      await a.transport.terminateSession();
      await a.client.close();
      await waitFor(
        async () => (await containersOf(instanceA)).length === 0,
        "the ended session's container to be removed",
      );
      const gone = await postRpc(
        url,
        { jsonrpc: "2.0", id: 4, method: "tools/list" },
        {
          ...bearer(everything.apiKey),
          "mcp-session-id": sessionA,
        },
      );
      expect(gone.status).toBe(404);
      // The other session and its container carry on.
      expect(textOf(await b.client.callTool({ name: "echo", arguments: { message: "b" } }))).toBe(
        "Echo: b",
      );
      expect((await containersOf(instanceB))[0]?.State).toBe("running");

      await b.transport.terminateSession();
      await b.client.close();
      await waitFor(
        async () => (await containersOf(instanceB)).length === 0,
        "the second session's container to be removed",
      );
    }, 120_000);

    it("reverse-proxies a container that speaks Streamable HTTP itself", async () => {
      const url = `${s.url}/mcp/${everythingHttp.slug}`;
      const { client, transport } = await connectStreamable(url, {
        headers: bearer(everythingHttp.apiKey),
        capabilities: { sampling: {} },
      });
      expect(client.getServerVersion()?.name).toBe(EVERYTHING_NAME);
      expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(textOf(await client.callTool({ name: "echo", arguments: { message: "tcp" } }))).toBe(
        "Echo: tcp",
      );
      const asked = answerSampling(client, "sampled over http");
      const sampled = await client.callTool({
        name: "trigger-sampling-request",
        arguments: { prompt: "container http" },
      });
      expect(asked).toEqual([expect.stringContaining("container http")]);
      expect(textOf(sampled)).toContain("sampled over http");
      await transport.terminateSession();
      await client.close();
    }, 60_000);
  },
);
