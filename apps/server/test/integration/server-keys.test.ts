import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../src/db/store.js";
import type { Server } from "../../src/domain/servers/server.js";
import type { GatewayAuth } from "../../src/gateway/ports.js";
import { type ApiClient, signUp } from "../support/api-client.js";
import { npmServer } from "../support/servers-api.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** MCP keys of servers (the API) and who the gateway lets through (GatewayAuth). No runtime runs. */
let s: TestServer;
let alice: ApiClient;
let aliceId: string;
let bob: ApiClient;
let carol: ApiClient;
let carolId: string;
let orgId: string;

const KEY_FORMAT = /^mhk_[0-9a-z]{40}$/;

/** Creates a server through the API; returns its id, slug and the key the answer carried. */
async function createServer(client: ApiClient, name: string, extra: Record<string, unknown> = {}) {
  const res = await client.post("/api/servers", npmServer(name, extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; slug: string; name: string; apiKey: string };
}

async function createKey(client: ApiClient, serverId: string, name: string) {
  const res = await client.post(`/api/servers/${serverId}/keys`, { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; name: string; prefix: string; key: string; createdAt: string };
}

async function listKeys(client: ApiClient, serverId: string) {
  const res = await client.get(`/api/servers/${serverId}/keys`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Array<{
    id: string;
    name: string;
    prefix: string;
    createdAt: string;
    lastUsedAt: string | null;
  }>;
}

async function createToken(client: ApiClient, scopes: string[]): Promise<string> {
  const res = await client.post("/api/tokens", { name: `t-${scopes.join("-")}`, scopes });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token;
}

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  await signUp(s.client(), "admin@example.com"); // the first account is the site admin
  const a = await signUp(s.client(), "alice@example.com");
  alice = a.client;
  aliceId = a.user.id;
  bob = (await signUp(s.client(), "bob@example.com")).client;
  const c = await signUp(s.client(), "carol@example.com");
  carol = c.client;
  carolId = c.user.id;
  orgId = (await alice.post("/api/orgs", { name: "Key Org" })).body.id;
  const inv = await alice.post(`/api/orgs/${orgId}/invitations`, {
    email: "carol@example.com",
    role: "member",
  });
  expect((await carol.post(`/api/me/invitations/${inv.body.id}/accept`)).status).toBe(200);
}, 60_000);
afterAll(() => s?.close());

describe("the key a new server comes with", () => {
  it("is returned once by the create answer and never again", async () => {
    const created = await createServer(alice, "Keyed One");
    expect(created.apiKey).toMatch(KEY_FORMAT);

    const fetched = await alice.get(`/api/servers/${created.id}`);
    expect(fetched.body).not.toHaveProperty("apiKey");
    expect(JSON.stringify(fetched.body)).not.toContain(created.apiKey);
    expect(JSON.stringify((await alice.get("/api/servers")).body)).not.toContain(created.apiKey);

    const keys = await listKeys(alice, created.id);
    expect(keys).toEqual([
      {
        id: expect.stringMatching(/^key_/),
        name: "default",
        prefix: created.apiKey.slice(0, 10),
        createdAt: expect.any(String),
        lastUsedAt: null,
      },
    ]);
    expect(JSON.stringify(keys)).not.toContain(created.apiKey);
    expect(s.rawLogs()).not.toContain(created.apiKey);
  });

  it("is given to an org member who creates a server, though managing keys needs an org admin", async () => {
    const created = await createServer(carol, "Carols Org Server", { orgId });
    expect(created.apiKey).toMatch(KEY_FORMAT);
    expect((await listKeys(carol, created.id)).map((k) => k.name)).toEqual(["default"]);
    const refused = await carol.post(`/api/servers/${created.id}/keys`, { name: "more" });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("FORBIDDEN");
    // The org's owner manages them.
    expect((await createKey(alice, created.id, "from-owner")).key).toMatch(KEY_FORMAT);
  });
});

describe("managing keys", () => {
  let serverId: string;
  beforeAll(async () => {
    serverId = (await createServer(alice, "Managed Keys")).id;
  });

  it("creates a key, shown once, and lists keys newest first without their values", async () => {
    const ci = await createKey(alice, serverId, "ci");
    expect(ci).toEqual({
      id: expect.stringMatching(/^key_/),
      name: "ci",
      prefix: ci.key.slice(0, 10),
      key: expect.stringMatching(KEY_FORMAT),
      createdAt: expect.any(String),
    });
    expect(ci.prefix).toMatch(/^mhk_/);
    const keys = await listKeys(alice, serverId);
    expect(keys.map((k) => k.name)).toEqual(["ci", "default"]);
    expect(keys[0]).not.toHaveProperty("key");
    expect(JSON.stringify(keys)).not.toContain(ci.key);
  });

  it("rotates a key: same id and name, a new secret", async () => {
    const laptop = await createKey(alice, serverId, "laptop");
    const rotated = await alice.post(`/api/servers/${serverId}/keys/${laptop.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: laptop.id, name: "laptop" });
    expect(rotated.body.key).toMatch(KEY_FORMAT);
    expect(rotated.body.key).not.toBe(laptop.key);
    expect(rotated.body.prefix).toBe(rotated.body.key.slice(0, 10));
    const listed = (await listKeys(alice, serverId)).find((k) => k.id === laptop.id);
    expect(listed?.prefix).toBe(rotated.body.prefix);
  });

  it("revokes a key: it leaves the list, and cannot be revoked or rotated again", async () => {
    const old = await createKey(alice, serverId, "old");
    expect((await alice.delete(`/api/servers/${serverId}/keys/${old.id}`)).status).toBe(204);
    expect((await listKeys(alice, serverId)).map((k) => k.id)).not.toContain(old.id);
    const again = await alice.delete(`/api/servers/${serverId}/keys/${old.id}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe("NOT_FOUND");
    expect((await alice.post(`/api/servers/${serverId}/keys/${old.id}/rotate`)).status).toBe(404);
  });

  it("refuses a key without a usable name, naming the field", async () => {
    for (const body of [{}, { name: "" }, { name: "x".repeat(101) }, { name: "a\u0007b" }]) {
      const res = await alice.post(`/api/servers/${serverId}/keys`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain("name");
    }
  });

  it("needs servers:write to change keys and servers:read to list them", async () => {
    const readOnly = alice.withToken(await createToken(alice, ["servers:read"]));
    expect((await readOnly.get(`/api/servers/${serverId}/keys`)).status).toBe(200);
    const refused = await readOnly.post(`/api/servers/${serverId}/keys`, { name: "nope" });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("INSUFFICIENT_SCOPE");
    const anonymous = s.client();
    expect((await anonymous.get(`/api/servers/${serverId}/keys`)).status).toBe(401);
  });

  it("answers 404 to another user on every key operation, and changes nothing", async () => {
    const before = await listKeys(alice, serverId);
    const keyId = before[0]?.id as string;
    const attempts = [
      await bob.get(`/api/servers/${serverId}/keys`),
      await bob.post(`/api/servers/${serverId}/keys`, { name: "intruder" }),
      await bob.post(`/api/servers/${serverId}/keys/${keyId}/rotate`),
      await bob.delete(`/api/servers/${serverId}/keys/${keyId}`),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("NOT_FOUND");
    }
    expect(await listKeys(alice, serverId)).toEqual(before);
  });

  it("answers 404 for a key of another server, even one the caller owns", async () => {
    const other = await createServer(alice, "Other Keys");
    const otherKeyId = (await listKeys(alice, other.id))[0]?.id as string;
    expect((await alice.delete(`/api/servers/${serverId}/keys/${otherKeyId}`)).status).toBe(404);
    expect((await alice.post(`/api/servers/${serverId}/keys/${otherKeyId}/rotate`)).status).toBe(
      404,
    );
    expect((await listKeys(alice, other.id)).map((k) => k.id)).toEqual([otherKeyId]);
  });

  it("allows at most 20 active keys per server; revoking one makes room", async () => {
    const full = await createServer(alice, "Full Of Keys"); // it has its default key
    const made = [];
    for (let i = 1; i < 20; i++) made.push(await createKey(alice, full.id, `k${i}`));
    const refused = await alice.post(`/api/servers/${full.id}/keys`, { name: "k20" });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("QUOTA_EXCEEDED");
    expect(refused.body.detail).toContain("at most 20 active keys");
    expect(await listKeys(alice, full.id)).toHaveLength(20);

    expect((await alice.delete(`/api/servers/${full.id}/keys/${made[0]?.id}`)).status).toBe(204);
    expect((await createKey(alice, full.id, "k20")).name).toBe("k20");
  });
});

describe("gateway credentials (GatewayAuth)", () => {
  let auth: GatewayAuth;
  let loadServer: (id: string) => Promise<Server>;
  let priv: Server;
  let privKey: string;
  let pub: Server;
  let pubKey: string;
  let orgServer: Server;

  beforeAll(async () => {
    auth = s.mcphost.gatewayAuth;
    const store = createStore(s.database.db);
    loadServer = async (id) => (await store.servers.findById(id)) as Server;
    const p = await createServer(alice, "Private Gateway");
    priv = await loadServer(p.id);
    privKey = p.apiKey;
    const q = await createServer(alice, "Public Gateway", { public: true });
    pub = await loadServer(q.id);
    pubKey = q.apiKey;
    orgServer = await loadServer((await createServer(alice, "Org Gateway", { orgId })).id);
  });

  const bearer = (credential: string) => `Bearer ${credential}`;

  it("lets a server's own key in, as that key, and records its use", async () => {
    const [key] = await listKeys(alice, priv.id);
    expect(await auth.authenticate(priv, bearer(privKey))).toEqual({
      id: key?.id,
      kind: "server-key",
    });
    // The scheme is case-insensitive (RFC 9110).
    expect(await auth.authenticate(priv, `bearer ${privKey}`)).toMatchObject({ id: key?.id });
    expect((await listKeys(alice, priv.id))[0]?.lastUsedAt).not.toBeNull();
  });

  it("refuses another server's key, and keys that are not keys", async () => {
    expect(await auth.authenticate(priv, bearer(pubKey))).toBeUndefined();
    expect(await auth.authenticate(priv, bearer(`mhk_${"0".repeat(40)}`))).toBeUndefined();
    expect(await auth.authenticate(priv, bearer(privKey.toUpperCase()))).toBeUndefined();
    expect(await auth.authenticate(priv, privKey)).toBeUndefined(); // no Bearer scheme
    expect(await auth.authenticate(priv, `Basic ${privKey}`)).toBeUndefined();
    expect(await auth.authenticate(priv, undefined)).toBeUndefined(); // not public
  });

  it("refuses a rotated-away secret at once and takes the new one", async () => {
    const key = await createKey(alice, priv.id, "to-rotate");
    expect(await auth.authenticate(priv, bearer(key.key))).toMatchObject({ id: key.id });
    const rotated = (await alice.post(`/api/servers/${priv.id}/keys/${key.id}/rotate`)).body;
    expect(await auth.authenticate(priv, bearer(key.key))).toBeUndefined();
    expect(await auth.authenticate(priv, bearer(rotated.key))).toEqual({
      id: key.id,
      kind: "server-key",
    });
  });

  it("refuses a revoked key at once", async () => {
    const key = await createKey(alice, priv.id, "to-revoke");
    expect(await auth.authenticate(priv, bearer(key.key))).toBeDefined();
    await alice.delete(`/api/servers/${priv.id}/keys/${key.id}`);
    expect(await auth.authenticate(priv, bearer(key.key))).toBeUndefined();
  });

  it("lets the owner's access token with the mcp scope in, as that token and user", async () => {
    const token = await createToken(alice, ["mcp"]);
    const tokenId = (await alice.get("/api/tokens")).body.items.find((t: { prefix: string }) =>
      token.startsWith(t.prefix),
    )?.id;
    expect(await auth.authenticate(priv, bearer(token))).toEqual({
      id: tokenId,
      kind: "access-token",
      userId: aliceId,
    });
  });

  it("refuses an access token without the mcp scope, even the owner's", async () => {
    const token = await createToken(alice, ["servers:read", "servers:write"]);
    expect(await auth.authenticate(priv, bearer(token))).toBeUndefined();
  });

  it("refuses another user's token, and a revoked one", async () => {
    expect(await auth.authenticate(priv, bearer(await createToken(bob, ["mcp"])))).toBeUndefined();
    const token = await createToken(alice, ["mcp"]);
    const tokenId = (await alice.get("/api/tokens")).body.items.find((t: { prefix: string }) =>
      token.startsWith(t.prefix),
    )?.id;
    expect((await alice.delete(`/api/tokens/${tokenId}`)).status).toBe(204);
    expect(await auth.authenticate(priv, bearer(token))).toBeUndefined();
  });

  it("lets an org member's token in to the org's server, not an outsider's", async () => {
    const carolToken = await createToken(carol, ["mcp"]);
    expect(await auth.authenticate(orgServer, bearer(carolToken))).toMatchObject({
      kind: "access-token",
      userId: carolId,
    });
    // Carol belongs to the org, not to Alice: Alice's own server stays closed to her.
    expect(await auth.authenticate(priv, bearer(carolToken))).toBeUndefined();
    const bobToken = await createToken(bob, ["mcp"]);
    expect(await auth.authenticate(orgServer, bearer(bobToken))).toBeUndefined();
  });

  it("lets anyone without a credential in to a public server", async () => {
    expect(await auth.authenticate(pub, undefined)).toEqual({ id: "public", kind: "public" });
    expect(await auth.authenticate(pub, "")).toEqual({ id: "public", kind: "public" });
  });

  it("on a public server, takes any user's token with the mcp scope as that user", async () => {
    const bobToken = await createToken(bob, ["mcp"]);
    expect(await auth.authenticate(pub, bearer(bobToken))).toMatchObject({
      kind: "access-token",
      userId: expect.stringMatching(/^usr_/),
    });
    // Without the scope the token is not meant for MCP: refused, not treated as anonymous.
    const plain = await createToken(bob, ["servers:read"]);
    expect(await auth.authenticate(pub, bearer(plain))).toBeUndefined();
  });

  it("still refuses a wrong or revoked credential on a public server", async () => {
    expect(await auth.authenticate(pub, bearer(`mhk_${"z".repeat(40)}`))).toBeUndefined();
    expect(await auth.authenticate(pub, bearer(privKey))).toBeUndefined(); // another server's key
    expect(await auth.authenticate(pub, "Bearer")).toBeUndefined();
    expect(await auth.authenticate(pub, "Basic dXNlcjpwYXNz")).toBeUndefined();
    const key = await createKey(alice, pub.id, "gone");
    await alice.delete(`/api/servers/${pub.id}/keys/${key.id}`);
    expect(await auth.authenticate(pub, bearer(key.key))).toBeUndefined();
    // Its own key still identifies the client.
    expect(await auth.authenticate(pub, bearer(pubKey))).toMatchObject({ kind: "server-key" });
  });

  it("takes a server's current setting: a server made private closes to anonymous clients", async () => {
    expect((await alice.patch(`/api/servers/${pub.id}`, { public: false })).body.public).toBe(
      false,
    );
    expect(await auth.authenticate(await loadServer(pub.id), undefined)).toBeUndefined();
    expect((await alice.patch(`/api/servers/${pub.id}`, { public: true })).status).toBe(200);
  });
});

describe("protected-resource metadata (RFC 9728)", () => {
  it("describes a server's MCP endpoint, without a credential", async () => {
    const created = await createServer(bob, "Described Server");
    const res = await s.client().get(`/.well-known/oauth-protected-resource/mcp/${created.slug}`);
    expect(res.status).toBe(200);
    const publicUrl = new URL(s.url).origin.replace("127.0.0.1", "localhost");
    expect(res.body).toEqual({
      resource: `${publicUrl}/mcp/${created.slug}`,
      authorization_servers: [],
      bearer_methods_supported: ["header"],
      resource_name: "Described Server",
    });
  });

  it("answers 404 problem+json for a server that does not exist", async () => {
    const res = await s.client().get("/.well-known/oauth-protected-resource/mcp/no-such-server");
    expect(res.status).toBe(404);
    expect(res.contentType).toContain("application/problem+json");
    expect(res.body.code).toBe("NOT_FOUND");
  });
});
