import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import {
  bearer,
  connectStreamable,
  type DeployedServer,
  deployEverything,
  initializeRequest,
  openRawSession,
  postRpc,
  responseTo,
  textOf,
} from "../support/mcp-clients.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** Who may reach a server through the gateway: its keys, its owner's tokens, and for public servers anyone. */
let s: TestServer;
let owner: ApiClient;
let stranger: ApiClient;
let everything: DeployedServer;
let open: DeployedServer;
const urlOf = (server: DeployedServer) => `${s.url}/mcp/${server.slug}`;

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  owner = (await signUp(s.client(), "owner@example.com")).client;
  stranger = (await signUp(s.client(), "stranger@example.com")).client;
  [everything, open] = await Promise.all([
    deployEverything(owner, "Private"),
    deployEverything(owner, "Open", { public: true }),
  ]);
}, 120_000);
afterAll(() => s?.close());

async function newKey(name: string): Promise<{ id: string; key: string }> {
  const res = await owner.post(`/api/servers/${everything.id}/keys`, { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function newToken(client: ApiClient, scopes: string[]): Promise<string> {
  const res = await client.post("/api/tokens", { name: `t-${scopes.join("-")}`, scopes });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token;
}

/** An initialize with these headers: the HTTP status, the challenge, and the body's text. */
async function tryInitialize(url: string, headers: Record<string, string>) {
  const answer = await postRpc(url, initializeRequest(0), headers);
  return {
    status: answer.status,
    challenge: answer.headers.get("www-authenticate"),
    text: answer.text,
  };
}

describe("credentials", () => {
  it("asks for a credential with a challenge that points at the resource metadata", async () => {
    const refused = await tryInitialize(urlOf(everything), {});
    expect(refused.status).toBe(401);
    // Addresses are the public URL's (http://localhost:<port> by default).
    const publicUrl = s.client().origin as string;
    const metadata = `${publicUrl}/.well-known/oauth-protected-resource/mcp/${everything.slug}`;
    expect(refused.challenge).toBe(`Bearer resource_metadata="${metadata}"`);
    // The metadata it points at names the endpoint as the resource.
    const described = await fetch(
      `${s.url}/.well-known/oauth-protected-resource/mcp/${everything.slug}`,
    );
    expect(described.status).toBe(200);
    const body = (await described.json()) as { resource: string };
    expect(body.resource).toBe(`${publicUrl}/mcp/${everything.slug}`);
    // The SDK client reports it as an authorization failure.
    await expect(connectStreamable(urlOf(everything))).rejects.toThrow(/401|unauthorized/i);
  });

  it("refuses a wrong key and a key of another server", async () => {
    const wrong = await tryInitialize(urlOf(everything), bearer(`mhk_${"0".repeat(40)}`));
    expect(wrong.status).toBe(401);
    expect(wrong.challenge).toContain('error="invalid_token"');
    expect((await tryInitialize(urlOf(everything), bearer(open.apiKey))).status).toBe(401);
    expect(
      (await tryInitialize(urlOf(everything), { authorization: "Basic b3duZXI6cHc=" })).status,
    ).toBe(401);
  });

  it("stops accepting a revoked key at once, even on the session it opened", async () => {
    const temp = await newKey("temporary");
    const headers = bearer(temp.key);
    const sessionId = await openRawSession(urlOf(everything), headers);
    const listed = await owner.get(`/api/servers/${everything.id}/keys`);
    const keyId = (listed.body.items as Array<{ id: string; name: string }>).find(
      (k) => k.name === "temporary",
    )?.id;
    expect(keyId).toBe(temp.id);
    expect((await owner.delete(`/api/servers/${everything.id}/keys/${keyId}`)).status).toBe(204);

    expect((await tryInitialize(urlOf(everything), headers)).status).toBe(401);
    const onSession = await postRpc(
      urlOf(everything),
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { ...headers, "mcp-session-id": sessionId },
    );
    expect(onSession.status).toBe(401);
    expect(onSession.text).not.toContain("echo");
  });

  it("accepts the owner's access token with the mcp scope, and no other token", async () => {
    const token = await newToken(owner, ["mcp"]);
    const { client, transport } = await connectStreamable(urlOf(everything), {
      headers: bearer(token),
    });
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "pat" } }))).toBe(
      "Echo: pat",
    );
    await transport.terminateSession();
    await client.close();

    const withoutScope = await newToken(owner, ["servers:read"]);
    expect((await tryInitialize(urlOf(everything), bearer(withoutScope))).status).toBe(401);
    const strangers = await newToken(stranger, ["mcp"]);
    const refused = await tryInitialize(urlOf(everything), bearer(strangers));
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain(everything.id);
  });
});

describe("sessions", () => {
  it("belong to the credential that opened them: another valid key gets 404 and learns nothing", async () => {
    const url = urlOf(everything);
    const a = bearer(everything.apiKey);
    const b = bearer((await newKey("second")).key);
    const sessionId = await openRawSession(url, a);
    const asB = { ...b, "mcp-session-id": sessionId };

    const call = {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "echo", arguments: { message: "secret of A" } },
    };
    const posted = await postRpc(url, call, asB);
    expect(posted.status).toBe(404);
    expect(posted.text).not.toMatch(/secret of A|echo/i);
    const stream = await fetch(url, { headers: { ...asB, accept: "text/event-stream" } });
    expect(stream.status).toBe(404);
    await stream.body?.cancel();
    expect((await fetch(url, { method: "DELETE", headers: asB })).status).toBe(404);

    // Session ids are no shortcut past the key either.
    expect((await postRpc(url, call, { "mcp-session-id": sessionId })).status).toBe(401);

    // The owner of the session is unaffected by all of it.
    const mine = await postRpc(url, call, { ...a, "mcp-session-id": sessionId });
    expect(mine.status).toBe(200);
    expect(textOf(responseTo(mine, 1).result)).toBe("Echo: secret of A");
    expect(
      (await fetch(url, { method: "DELETE", headers: { ...a, "mcp-session-id": sessionId } }))
        .status,
    ).toBe(200);
  });
});

describe("browsers and public servers", () => {
  it("refuses requests from a foreign origin, even with a valid key", async () => {
    const evil = await tryInitialize(urlOf(everything), {
      ...bearer(everything.apiKey),
      origin: "http://evil.example",
    });
    expect(evil.status).toBe(403);
    expect(evil.text).not.toContain("mcp-servers/everything");
    const ours = await tryInitialize(urlOf(everything), {
      ...bearer(everything.apiKey),
      origin: s.url,
    });
    expect(ours.status).toBe(200);
  });

  it("lets anyone use a public server without a key, but not with a bad one", async () => {
    const { client, transport } = await connectStreamable(urlOf(open));
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "open" } }))).toBe(
      "Echo: open",
    );
    await transport.terminateSession();
    await client.close();
    // A client that means to authenticate hears that it failed.
    expect((await tryInitialize(urlOf(open), bearer(`mhk_${"1".repeat(40)}`))).status).toBe(401);
    expect((await tryInitialize(urlOf(open), { origin: "http://evil.example" })).status).toBe(403);
  });

  it("opens a server to everyone when made public, and closes it again", async () => {
    expect((await tryInitialize(urlOf(everything), {})).status).toBe(401);
    const opened = await owner.patch(`/api/servers/${everything.id}`, { public: true });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.public).toBe(true);
    expect((await tryInitialize(urlOf(everything), {})).status).toBe(200);

    expect((await owner.patch(`/api/servers/${everything.id}`, { public: false })).status).toBe(
      200,
    );
    expect((await tryInitialize(urlOf(everything), {})).status).toBe(401);
  });
});
