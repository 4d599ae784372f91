import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore } from "../../src/db/store.js";
import { type ApiClient, signUp } from "../support/api-client.js";
import { npmServer, waitForGone } from "../support/servers-api.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let siteAdmin: ApiClient;
let owner: ApiClient;
let ownerId: string;
let stranger: ApiClient;

beforeAll(async () => {
  // A runtime only so that servers can be created in an org (they are never started).
  server = await startTestServer({
    runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }),
  });
  siteAdmin = (await signUp(server.client(), "admin@example.com")).client;
  const o = await signUp(server.client(), "owner@example.com");
  owner = o.client;
  ownerId = o.user.id;
  stranger = (await signUp(server.client(), "stranger@example.com")).client;
});
afterAll(() => server?.close());

/** Signs up `email`, invites them to `orgId` as `role` and accepts; returns their client and id. */
async function addMember(orgId: string, email: string, role: "owner" | "admin" | "member") {
  const { client, user } = await signUp(server.client(), email);
  const inv = await owner.post(`/api/orgs/${orgId}/invitations`, { email, role });
  expect(inv.status).toBe(201);
  expect((await client.post(`/api/me/invitations/${inv.body.id}/accept`)).status).toBe(200);
  return { client, id: user.id };
}

describe("organizations", () => {
  it("creates, lists, renames and deletes an org; the creator is owner", async () => {
    const created = await owner.post("/api/orgs", { name: "Acme Robotics" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Acme Robotics",
      slug: "acme-robotics",
      role: "owner",
    });
    expect(created.body.id).toMatch(/^org_/);

    const list = await owner.get("/api/orgs");
    expect(list.body.items.map((o: { id: string }) => o.id)).toContain(created.body.id);

    const renamed = await owner.patch(`/api/orgs/${created.body.id}`, { name: "Acme Inc" });
    expect(renamed.body.name).toBe("Acme Inc");
    expect((await owner.get(`/api/orgs/${created.body.id}`)).body.name).toBe("Acme Inc");

    expect((await owner.delete(`/api/orgs/${created.body.id}`)).status).toBe(204);
    expect((await owner.get(`/api/orgs/${created.body.id}`)).status).toBe(404);
  });

  it("gives a clashing name its own slug", async () => {
    const a = await owner.post("/api/orgs", { name: "Same Name" });
    const b = await stranger.post("/api/orgs", { name: "Same Name" });
    expect(b.status).toBe(201);
    expect(b.body.slug).not.toBe(a.body.slug);
  });

  it("hides an org from non-members with 404, for every operation", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Private" });
    const paths = [
      () => stranger.get(`/api/orgs/${org.id}`),
      () => stranger.patch(`/api/orgs/${org.id}`, { name: "Mine now" }),
      () => stranger.delete(`/api/orgs/${org.id}`),
      () => stranger.get(`/api/orgs/${org.id}/members`),
      () => stranger.post(`/api/orgs/${org.id}/invitations`, { email: "x@example.com" }),
      () => stranger.delete(`/api/orgs/${org.id}/members/${ownerId}`),
    ];
    for (const call of paths) {
      const res = await call();
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("NOT_FOUND");
    }
    expect(
      (await stranger.get("/api/orgs")).body.items.map((o: { id: string }) => o.id),
    ).not.toContain(org.id);
    expect((await owner.get(`/api/orgs/${org.id}`)).body.name).toBe("Private");
  });

  it("refuses to delete an org that owns servers, until they are deleted", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Has servers" });
    const a = await owner.post("/api/servers", npmServer("Org tool a", { orgId: org.id }));
    const b = await owner.post("/api/servers", npmServer("Org tool b", { orgId: org.id }));
    expect([a.status, b.status]).toEqual([201, 201]);

    const refused = await owner.delete(`/api/orgs/${org.id}`);
    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain("application/problem+json");
    expect(refused.body).toMatchObject({ code: "ORG_HAS_SERVERS", status: 409 });
    expect(refused.body.detail).toContain("still owns 2 servers");
    expect(refused.body.detail).toContain("Delete them first");
    // Nothing went: the org, and its servers, still listed.
    expect((await owner.get(`/api/orgs/${org.id}`)).status).toBe(200);
    const listed = (await owner.get("/api/servers")).body.items.map((s: { id: string }) => s.id);
    expect(listed).toEqual(expect.arrayContaining([a.body.id, b.body.id]));
    expect((await owner.get(`/api/servers/${a.body.id}`)).body.owner).toEqual({
      type: "org",
      id: org.id,
    });

    expect((await owner.delete(`/api/servers/${a.body.id}`)).status).toBe(202);
    await waitForGone(owner, a.body.id);
    const oneLeft = await owner.delete(`/api/orgs/${org.id}`);
    expect(oneLeft.status).toBe(409);
    expect(oneLeft.body.detail).toContain("still owns 1 server. Delete it first");

    // Deleting a server stops and removes it through the lifecycle; once it is gone, the org goes.
    expect((await owner.delete(`/api/servers/${b.body.id}`)).status).toBe(202);
    await waitForGone(owner, b.body.id);
    expect((await owner.delete(`/api/orgs/${org.id}`)).status).toBe(204);
    expect((await owner.get(`/api/orgs/${org.id}`)).status).toBe(404);
  });

  it("never deletes an org while a server is being created in it: one of the two is refused", async () => {
    for (let round = 0; round < 5; round++) {
      const { body: org } = await owner.post("/api/orgs", { name: `Racing ${round}` });
      const [created, deleted] = await Promise.all([
        owner.post("/api/servers", npmServer(`Racer ${round}`, { orgId: org.id })),
        owner.delete(`/api/orgs/${org.id}`),
      ]);
      if (created.status === 201) {
        expect(deleted.body.code).toBe("ORG_HAS_SERVERS");
        expect((await owner.get(`/api/servers/${created.body.id}`)).status).toBe(200);
      } else {
        expect([created.status, deleted.status]).toEqual([404, 204]);
      }
    }
  });

  it("lets the database refuse too: the org's servers are not cascaded away", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Restricted" });
    const created = await owner.post("/api/servers", npmServer("Kept tool", { orgId: org.id }));
    expect(created.status).toBe(201);
    // Straight to the repository, past the service's count: the foreign key alone refuses.
    const store = createStore(server.database.db);
    await expect(store.orgs.delete(org.id)).rejects.toMatchObject({ code: "ORG_HAS_SERVERS" });
    expect((await owner.get(`/api/servers/${created.body.id}`)).status).toBe(200);
    expect((await owner.get(`/api/orgs/${org.id}`)).status).toBe(200);
  });

  it("lets a site admin see and manage any org", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Audited" });
    expect((await siteAdmin.get(`/api/orgs/${org.id}`)).status).toBe(200);
    expect((await siteAdmin.get(`/api/orgs/${org.id}/members`)).body.items).toHaveLength(1);
  });
});

describe("members and invitations", () => {
  it("invites by email; the invitee sees and accepts it and becomes a member", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Team" });
    const { client: dana } = await signUp(server.client(), "dana@example.com");
    const inv = await owner.post(`/api/orgs/${org.id}/invitations`, {
      email: "Dana@Example.com",
      role: "admin",
    });
    expect(inv.body).toMatchObject({ email: "dana@example.com", role: "admin", orgName: "Team" });
    expect((await owner.get(`/api/orgs/${org.id}/invitations`)).body.items).toHaveLength(1);

    const mine = await dana.get("/api/me/invitations");
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([inv.body.id]);
    // Someone else cannot accept it.
    expect((await stranger.post(`/api/me/invitations/${inv.body.id}/accept`)).status).toBe(404);

    const joined = await dana.post(`/api/me/invitations/${inv.body.id}/accept`);
    expect(joined.body).toMatchObject({ id: org.id, role: "admin" });
    const members = await owner.get(`/api/orgs/${org.id}/members`);
    expect(
      members.body.items.map((m: { email: string; role: string }) => [m.email, m.role]),
    ).toEqual([
      ["owner@example.com", "owner"],
      ["dana@example.com", "admin"],
    ]);
    expect((await owner.get(`/api/orgs/${org.id}/invitations`)).body.items).toEqual([]);
  });

  it("refuses duplicate invitations and inviting existing members", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Dupes" });
    await owner.post(`/api/orgs/${org.id}/invitations`, { email: "twice@example.com" });
    const again = await owner.post(`/api/orgs/${org.id}/invitations`, {
      email: "twice@example.com",
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("INVITATION_EXISTS");
    const self = await owner.post(`/api/orgs/${org.id}/invitations`, {
      email: "owner@example.com",
    });
    expect(self.body.code).toBe("ALREADY_MEMBER");
  });

  it("lets declining and withdrawing remove an invitation", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Declined" });
    const { client: eve } = await signUp(server.client(), "eve@example.com");
    const inv = await owner.post(`/api/orgs/${org.id}/invitations`, { email: "eve@example.com" });
    expect((await eve.post(`/api/me/invitations/${inv.body.id}/decline`)).status).toBe(204);
    expect((await eve.get(`/api/orgs/${org.id}`)).status).toBe(404);
    const inv2 = await owner.post(`/api/orgs/${org.id}/invitations`, { email: "eve@example.com" });
    expect((await owner.delete(`/api/orgs/${org.id}/invitations/${inv2.body.id}`)).status).toBe(
      204,
    );
    expect((await eve.get("/api/me/invitations")).body.items).toEqual([]);
  });

  it("enforces roles: members read, admins manage members, only owners touch ownership", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Roles" });
    const member = await addMember(org.id, "m1@example.com", "member");
    const admin = await addMember(org.id, "a1@example.com", "admin");

    expect((await member.client.get(`/api/orgs/${org.id}/members`)).status).toBe(200);
    const rename = await member.client.patch(`/api/orgs/${org.id}`, { name: "Hijacked" });
    expect(rename.status).toBe(403);
    expect(rename.body.code).toBe("FORBIDDEN");
    expect((await member.client.delete(`/api/orgs/${org.id}`)).status).toBe(403);

    expect((await admin.client.patch(`/api/orgs/${org.id}`, { name: "Roles 2" })).status).toBe(200);
    expect(
      (await admin.client.patch(`/api/orgs/${org.id}/members/${member.id}`, { role: "admin" })).body
        .role,
    ).toBe("admin");
    const promote = await admin.client.patch(`/api/orgs/${org.id}/members/${member.id}`, {
      role: "owner",
    });
    expect(promote.status).toBe(403);
    expect((await admin.client.delete(`/api/orgs/${org.id}/members/${ownerId}`)).status).toBe(403);
    expect((await admin.client.delete(`/api/orgs/${org.id}`)).status).toBe(403);

    expect(
      (await owner.patch(`/api/orgs/${org.id}/members/${member.id}`, { role: "owner" })).body.role,
    ).toBe("owner");
  });

  it("keeps at least one owner: the last owner can neither leave, be demoted nor be removed", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Solo" });
    const leave = await owner.delete(`/api/orgs/${org.id}/members/${ownerId}`);
    expect(leave.status).toBe(409);
    expect(leave.body.code).toBe("LAST_OWNER");
    const demote = await owner.patch(`/api/orgs/${org.id}/members/${ownerId}`, { role: "member" });
    expect(demote.body.code).toBe("LAST_OWNER");

    const second = await addMember(org.id, "co-owner@example.com", "owner");
    expect((await owner.delete(`/api/orgs/${org.id}/members/${ownerId}`)).status).toBe(204);
    expect((await owner.get(`/api/orgs/${org.id}`)).status).toBe(404);
    const lastLeave = await second.client.delete(`/api/orgs/${org.id}/members/${second.id}`);
    expect(lastLeave.body.code).toBe("LAST_OWNER");
  });

  it("lets a member leave on their own", async () => {
    const { body: org } = await owner.post("/api/orgs", { name: "Revolving door" });
    const member = await addMember(org.id, "leaver2@example.com", "member");
    expect((await member.client.delete(`/api/orgs/${org.id}/members/${member.id}`)).status).toBe(
      204,
    );
    expect((await member.client.get(`/api/orgs/${org.id}`)).status).toBe(404);
  });
});
