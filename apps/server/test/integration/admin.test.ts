import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let admin: ApiClient;
let adminId: string;
let user: ApiClient;
let userId: string;

beforeAll(async () => {
  server = await startTestServer();
  const a = await signUp(server.client(), "admin@example.com");
  admin = a.client;
  adminId = a.user.id;
  const u = await signUp(server.client(), "user@example.com");
  user = u.client;
  userId = u.user.id;
});
afterAll(() => server?.close());

describe("admin", () => {
  it("lists all users, paginated, to admins only", async () => {
    const all = await admin.get("/api/admin/users");
    expect(all.body.total).toBe(2);
    expect(all.body.items.map((u: { email: string }) => u.email)).toEqual([
      "admin@example.com",
      "user@example.com",
    ]);
    const page = await admin.get("/api/admin/users?limit=1&offset=1");
    expect(page.body.items.map((u: { email: string }) => u.email)).toEqual(["user@example.com"]);

    const denied = await user.get("/api/admin/users");
    expect(denied.status).toBe(403);
    expect((await server.client().get("/api/admin/users")).status).toBe(401);
  });

  it("changes a user's server quota, which the user then sees", async () => {
    const res = await admin.patch(`/api/admin/users/${userId}`, { serverQuota: 3 });
    expect(res.body.serverQuota).toBe(3);
    expect((await user.get("/api/me")).body.serverQuota).toBe(3);
    expect((await user.patch(`/api/admin/users/${userId}`, { serverQuota: 1000 })).status).toBe(
      403,
    );
    const negative = await admin.patch(`/api/admin/users/${userId}`, { serverQuota: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors[0].field).toBe("serverQuota");
  });

  it("promotes and demotes, but never removes the last admin", async () => {
    const last = await admin.patch(`/api/admin/users/${adminId}`, { role: "user" });
    expect(last.status).toBe(409);
    expect(last.body.code).toBe("LAST_ADMIN");

    expect((await admin.patch(`/api/admin/users/${userId}`, { role: "admin" })).body.role).toBe(
      "admin",
    );
    expect((await user.get("/api/admin/users")).status).toBe(200);
    expect((await user.patch(`/api/admin/users/${userId}`, { role: "user" })).body.role).toBe(
      "user",
    );
    expect((await user.get("/api/admin/users")).status).toBe(403);
  });

  it("answers 404 for an unknown user and 400 for an empty change", async () => {
    expect(
      (await admin.patch("/api/admin/users/usr_doesnotexist", { serverQuota: 1 })).status,
    ).toBe(404);
    const empty = await admin.patch(`/api/admin/users/${userId}`, {});
    expect(empty.status).toBe(400);
  });

  it("narrows an existing token when its user stops being admin", async () => {
    const { body } = await admin.patch(`/api/admin/users/${userId}`, { role: "admin" });
    expect(body.role).toBe("admin");
    const token = await user.post("/api/tokens", { name: "ops", scopes: ["admin"] });
    expect(token.status).toBe(201);
    const api = server.client().withToken(token.body.token);
    expect((await api.get("/api/admin/users")).status).toBe(200);
    await admin.patch(`/api/admin/users/${userId}`, { role: "user" });
    expect((await api.get("/api/admin/users")).status).toBe(403);
  });
});
