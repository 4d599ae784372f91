import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let alice: ApiClient;
let bob: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  await signUp(server.client(), "admin@example.com");
  alice = (await signUp(server.client(), "alice@example.com")).client;
  bob = (await signUp(server.client(), "bob@example.com")).client;
});
afterAll(() => server?.close());

describe("personal access tokens", () => {
  it("shows the token once, lists it without its value, and authenticates with it", async () => {
    const created = await alice.post("/api/tokens", {
      name: "laptop",
      scopes: ["account:read", "orgs:read"],
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^mch_[0-9a-z]{40}$/);
    expect(created.body.token.startsWith(created.body.prefix)).toBe(true);

    const list = await alice.get("/api/tokens");
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      id: created.body.id,
      name: "laptop",
      scopes: ["account:read", "orgs:read"],
    });
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);

    const viaToken = server.client().withToken(created.body.token);
    viaToken.origin = undefined; // API clients send no Origin; bearer requests need none
    const me = await viaToken.get("/api/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: "alice@example.com", authenticatedVia: "token" });
    expect(server.rawLogs()).not.toContain(created.body.token);

    const used = await alice.get("/api/tokens");
    expect(used.body.items[0].lastUsedAt).not.toBeNull();
  });

  it("limits a token to its scopes", async () => {
    const { body } = await alice.post("/api/tokens", { name: "read-only", scopes: ["orgs:read"] });
    const api = server.client().withToken(body.token);
    expect((await api.get("/api/orgs")).status).toBe(200);
    const write = await api.post("/api/orgs", { name: "Nope" });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe("INSUFFICIENT_SCOPE");
    // A token cannot mint a stronger token.
    const mint = await server
      .client()
      .withToken(body.token)
      .post("/api/tokens", { name: "x", scopes: ["orgs:write"] });
    expect(mint.status).toBe(403);
  });

  it("stops working the moment it is revoked", async () => {
    const { body } = await alice.post("/api/tokens", { name: "ci", scopes: ["account:read"] });
    const api = server.client().withToken(body.token);
    expect((await api.get("/api/me")).status).toBe(200);
    expect((await alice.delete(`/api/tokens/${body.id}`)).status).toBe(204);
    const after = await api.get("/api/me");
    expect(after.status).toBe(401);
    expect(
      (await alice.get("/api/tokens")).body.items.map((t: { id: string }) => t.id),
    ).not.toContain(body.id);
    expect((await alice.delete(`/api/tokens/${body.id}`)).status).toBe(404);
  });

  it("treats another user's token as not found", async () => {
    const { body } = await alice.post("/api/tokens", { name: "mine", scopes: ["account:read"] });
    expect((await bob.delete(`/api/tokens/${body.id}`)).status).toBe(404);
    expect((await bob.get("/api/tokens")).body.items).toEqual([]);
    expect((await server.client().withToken(body.token).get("/api/me")).status).toBe(200);
  });

  it("does not let a non-admin grant the admin scope", async () => {
    const res = await alice.post("/api/tokens", { name: "root", scopes: ["admin"] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("INSUFFICIENT_SCOPE");
  });

  it("rejects unknown scopes and empty scope lists with field errors", async () => {
    const unknown = await alice.post("/api/tokens", { name: "x", scopes: ["everything"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe("scopes.0");
    const empty = await alice.post("/api/tokens", { name: "x", scopes: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({
      field: "scopes",
      detail: "must list at least one scope",
    });
  });

  it("refuses a well-formed but unknown bearer token", async () => {
    const res = await server
      .client()
      .withToken(`mch_${"a".repeat(40)}`)
      .get("/api/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
