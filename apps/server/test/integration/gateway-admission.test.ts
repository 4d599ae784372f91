import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import {
  bearer,
  type DeployedServer,
  deployEverything,
  initializeRequest,
  postRpc,
} from "../support/mcp-clients.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * The gateway admits requests from memory (servers by slug, credentials by hash). Each test here
 * first makes the gateway cache what it is about to change, then changes it through the API and
 * expects the very next request to see the change, well within the caches' 2 s TTL.
 */
let s: TestServer;
let alice: ApiClient;
let carol: ApiClient;
let carolId: string;
let orgId: string;
let server: DeployedServer;
const url = () => `${s.url}/mcp/${server.slug}`;

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  alice = (await signUp(s.client(), "alice@example.com")).client;
  const c = await signUp(s.client(), "carol@example.com");
  carol = c.client;
  carolId = c.user.id;
  orgId = (await alice.post("/api/orgs", { name: "Cache Org" })).body.id;
  const inv = await alice.post(`/api/orgs/${orgId}/invitations`, {
    email: "carol@example.com",
    role: "member",
  });
  expect((await carol.post(`/api/me/invitations/${inv.body.id}/accept`)).status).toBe(200);
  server = await deployEverything(alice, "Cached", { orgId });
}, 120_000);
afterAll(() => s?.close());

/**
 * Whether the gateway admits `credential`, without opening a session: past admission, an unknown
 * session id answers 404; refused, the answer is 401.
 */
async function admitted(credential: string): Promise<boolean> {
  const answer = await postRpc(
    url(),
    { jsonrpc: "2.0", id: 1, method: "tools/list" },
    { ...bearer(credential), "mcp-session-id": "no-such-session" },
  );
  expect([401, 404]).toContain(answer.status);
  return answer.status === 404;
}

/** Admitted several times in a row, so the credential and the server are cached. */
async function cached(credential: string) {
  for (let i = 0; i < 3; i++) expect(await admitted(credential)).toBe(true);
}

async function newToken(client: ApiClient): Promise<{ id: string; token: string }> {
  const res = await client.post("/api/tokens", { name: "mcp", scopes: ["mcp"] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe("changes take effect at the next request despite the admission cache", () => {
  it("a rotated key: the old secret is refused and the new one admitted", async () => {
    const key = (await alice.post(`/api/servers/${server.id}/keys`, { name: "rotating" })).body;
    await cached(key.key);
    const rotated = await alice.post(`/api/servers/${server.id}/keys/${key.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(await admitted(key.key)).toBe(false);
    expect(await admitted(rotated.body.key)).toBe(true);
  });

  it("a revoked key is refused", async () => {
    const key = (await alice.post(`/api/servers/${server.id}/keys`, { name: "revoked" })).body;
    await cached(key.key);
    expect((await alice.delete(`/api/servers/${server.id}/keys/${key.id}`)).status).toBe(204);
    expect(await admitted(key.key)).toBe(false);
  });

  it("a revoked access token is refused", async () => {
    const { id, token } = await newToken(carol);
    await cached(token);
    expect((await carol.delete(`/api/tokens/${id}`)).status).toBe(204);
    expect(await admitted(token)).toBe(false);
  });

  it("a member removed from the org loses its servers", async () => {
    const { token } = await newToken(carol);
    await cached(token);
    expect((await alice.delete(`/api/orgs/${orgId}/members/${carolId}`)).status).toBe(204);
    expect(await admitted(token)).toBe(false);
  });

  it("a server made public takes anonymous clients, and refuses them when made private", async () => {
    const anonymous = () => postRpc(url(), initializeRequest(0), {});
    expect((await anonymous()).status).toBe(401);
    expect((await alice.patch(`/api/servers/${server.id}`, { public: true })).status).toBe(200);
    expect((await anonymous()).status).toBe(200);
    expect((await alice.patch(`/api/servers/${server.id}`, { public: false })).status).toBe(200);
    expect((await anonymous()).status).toBe(401);
  });

  it("a stopped server answers 503 as soon as it is stopped, and a deleted one 404 once gone", async () => {
    const key = server.apiKey;
    expect((await alice.post(`/api/servers/${server.id}/stop`)).status).toBe(202);
    // Keep the server cached while the worker stops it; the first look at `stopped` is enough.
    for (let status = ""; status !== "stopped"; ) {
      await admitted(key);
      status = (await alice.get(`/api/servers/${server.id}`)).body.status;
    }
    const refused = await postRpc(url(), initializeRequest(0), bearer(key));
    expect(refused.status).toBe(503);
    expect(refused.text).toContain("status: stopped");

    expect((await alice.delete(`/api/servers/${server.id}`)).status).toBe(202);
    while ((await alice.get(`/api/servers/${server.id}`)).status !== 404) await admitted(key);
    const gone = await postRpc(url(), initializeRequest(0), bearer(key));
    expect(gone.status).toBe(404);
  }, 60_000);
});
