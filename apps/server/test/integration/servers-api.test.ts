import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { idleServer, npmServer, waitForLog, waitForStatus } from "../support/servers-api.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** The API around servers, without starting any (start: false): validation, quota, visibility. */
let s: TestServer;
let admin: ApiClient;
let alice: ApiClient;
let aliceId: string;
let bob: ApiClient;

beforeAll(async () => {
  s = await startTestServer({ runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }) });
  admin = (await signUp(s.client(), "admin@example.com")).client;
  const a = await signUp(s.client(), "alice@example.com");
  alice = a.client;
  aliceId = a.user.id;
  bob = (await signUp(s.client(), "bob@example.com")).client;
}, 60_000);
afterAll(() => s?.close());

describe("creating servers", () => {
  it("creates a stopped server with defaults, and hides env values", async () => {
    const res = await alice.post(
      "/api/servers",
      npmServer("Quiet One", { env: { API_KEY: "sk-secret-value" } }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: "quiet-one",
      status: "created",
      desiredState: "stopped",
      owner: { type: "user", id: aliceId },
      limits: { memoryMb: 512, cpus: 1, pids: 256 },
      network: "outbound",
      envKeys: ["API_KEY"],
    });
    expect(JSON.stringify(res.body)).not.toContain("sk-secret-value");
    expect(JSON.stringify((await alice.get(`/api/servers/${res.body.id}`)).body)).not.toContain(
      "sk-secret-value",
    );
  });

  it("refuses bad input with the field at fault", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [npmServer("x", { source: { type: "npm", package: "Not A Package" } }), "source.package"],
      [
        npmServer("x", { source: { type: "npm", package: "ok", version: "file:/etc" } }),
        "source.version",
      ],
      [
        npmServer("x", { source: { type: "npm", package: "ok", version: "https://evil/x.tgz" } }),
        "source.version",
      ],
      [npmServer("x", { source: { type: "ftp", url: "x" } }), "source.type"],
      [npmServer("x", { transport: { type: "http", port: 70000 } }), "transport"],
      [npmServer("x", { env: { MCPHOST_SECRET: "x" } }), "env.MCPHOST_SECRET"],
      [npmServer("x", { env: { "bad key": "x" } }), "env.bad key"],
      [npmServer("x", { limits: { memoryMb: 1 } }), "limits.memoryMb"],
      [npmServer("x", { slug: "Bad Slug!" }), "slug"],
      [npmServer("x", { runtime: "kubernetes" }), "runtime"],
    ];
    for (const [body, field] of cases) {
      const res = await alice.post("/api/servers", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).join(",")).toContain(field);
    }
  });

  it("lets only admins run host commands, and images only on Docker", async () => {
    const command = { type: "command", command: "/bin/true" };
    const refused = await alice.post("/api/servers", npmServer("cmd", { source: command }));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/host commands/);
    expect((await admin.post("/api/servers", npmServer("cmd", { source: command }))).status).toBe(
      201,
    );

    const image = await alice.post(
      "/api/servers",
      npmServer("img", { source: { type: "image", image: "busybox:1" } }),
    );
    expect(image.status).toBe(400);
    expect(image.body.errors[0].field).toBe("runtime");
  });

  // Machines with GPU device nodes give the process runtime a GPU; the rule is then not testable.
  const hostHasGpu = existsSync("/dev/nvidia0") || existsSync("/dev/dri");
  it.skipIf(hostHasGpu)(
    "refuses a GPU the runtime cannot give, at create and at update",
    async () => {
      const created = await alice.post("/api/servers", npmServer("Needs GPU", { gpu: true }));
      expect(created.status).toBe(400);
      expect(created.body.errors[0]).toMatchObject({ field: "gpu" });
      const plain = await alice.post("/api/servers", npmServer("No GPU"));
      const patched = await alice.patch(`/api/servers/${plain.body.id}`, { gpu: true });
      expect(patched.status).toBe(400);
      expect(patched.body.errors[0].field).toBe("gpu");
    },
  );

  it("refuses unknown fields instead of ignoring them", async () => {
    const res = await alice.post("/api/servers", npmServer("x", { replicas: 3 }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toMatch(/replicas/);
  });

  it("gives names without Latin letters a usable slug, and racing equal names distinct slugs", async () => {
    const ja = await alice.post("/api/servers", npmServer("日本語"));
    expect(ja.body.slug).toMatch(/^server(-[0-9a-z]{6})?$/);
    const racing = await Promise.all(
      [1, 2, 3, 4].map(() => bob.post("/api/servers", npmServer("Racer"))),
    );
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(racing.map((r) => r.body.slug)).size).toBe(4);
  });

  it("gives a taken slug a suffix, and refuses an explicit taken slug", async () => {
    const a = await alice.post("/api/servers", npmServer("Same"));
    const b = await bob.post("/api/servers", npmServer("Same"));
    expect(b.body.slug).not.toBe(a.body.slug);
    const explicit = await bob.post("/api/servers", npmServer("Other", { slug: a.body.slug }));
    expect(explicit.status).toBe(409);
    expect(explicit.body.errors[0].field).toBe("slug");
  });
});

describe("quota", () => {
  it("lets exactly one of 20 racing creates take the last slot", async () => {
    const { client: carol, user } = await signUp(s.client(), "carol@example.com");
    await admin.patch(`/api/admin/users/${user.id}`, { serverQuota: 3 });
    for (let i = 0; i < 2; i++)
      expect((await carol.post("/api/servers", npmServer(`pre ${i}`))).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => carol.post("/api/servers", npmServer(`race ${i}`))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((st) => st === 201)).toHaveLength(1);
    expect(statuses.filter((st) => st === 403)).toHaveLength(19);
    expect(results.find((r) => r.status === 403)?.body.code).toBe("QUOTA_EXCEEDED");
    expect((await carol.get("/api/servers")).body.items).toHaveLength(3);
  });
});

describe("organization quota", () => {
  it("counts an org's servers against the org's quota, which an admin sets", async () => {
    const org = await alice.post("/api/orgs", { name: "Small Team" });
    expect(org.body.serverQuota).toBe(10);
    expect((await alice.patch(`/api/admin/orgs/${org.body.id}`, { serverQuota: 1 })).status).toBe(
      403,
    );
    const set = await admin.patch(`/api/admin/orgs/${org.body.id}`, { serverQuota: 1 });
    expect(set.body).toMatchObject({ id: org.body.id, serverQuota: 1 });
    expect(
      (await admin.get("/api/admin/orgs")).body.items.map((o: { id: string }) => o.id),
    ).toContain(org.body.id);
    expect(
      (await alice.post("/api/servers", npmServer("Team one", { orgId: org.body.id }))).status,
    ).toBe(201);
    const second = await alice.post("/api/servers", npmServer("Team two", { orgId: org.body.id }));
    expect(second.status).toBe(403);
    expect(second.body).toMatchObject({
      code: "QUOTA_EXCEEDED",
      detail: "This organization may have at most 1 server",
    });
    // Alice's own quota is separate.
    expect((await alice.post("/api/servers", npmServer("Alice solo"))).status).toBe(201);
    expect((await admin.patch("/api/admin/orgs/org_nope", { serverQuota: 1 })).status).toBe(404);
  });
});

describe("visibility", () => {
  it("shows a user their servers and their orgs' servers; others get 404; admins see all", async () => {
    const mine = await alice.post("/api/servers", npmServer("Alice private"));
    const org = await alice.post("/api/orgs", { name: "Team Servers" });
    const orgServer = await alice.post(
      "/api/servers",
      npmServer("Team tool", { orgId: org.body.id }),
    );
    expect(orgServer.status).toBe(201);
    expect(orgServer.body.owner).toEqual({ type: "org", id: org.body.id });

    const bobSees = (await bob.get("/api/servers")).body.items.map((x: { id: string }) => x.id);
    expect(bobSees).not.toContain(mine.body.id);
    expect(bobSees).not.toContain(orgServer.body.id);
    for (const id of [mine.body.id, orgServer.body.id]) {
      expect((await bob.get(`/api/servers/${id}`)).status).toBe(404);
      expect((await bob.patch(`/api/servers/${id}`, { name: "mine" })).status).toBe(404);
      expect((await bob.delete(`/api/servers/${id}`)).status).toBe(404);
      expect((await bob.get(`/api/servers/${id}/logs`)).status).toBe(404);
      expect((await bob.get(`/api/servers/${id}/events`)).status).toBe(404);
      expect((await bob.get(`/api/servers/${id}/files`)).status).toBe(404);
    }
    // Bob cannot create in an org he is not in.
    expect(
      (await bob.post("/api/servers", npmServer("intruder", { orgId: org.body.id }))).status,
    ).toBe(404);

    // Once Bob joins the org, he sees its server but not Alice's own.
    const inv = await alice.post(`/api/orgs/${org.body.id}/invitations`, {
      email: "bob@example.com",
      role: "member",
    });
    await bob.post(`/api/me/invitations/${inv.body.id}/accept`);
    const nowSees = (await bob.get("/api/servers")).body.items.map((x: { id: string }) => x.id);
    expect(nowSees).toContain(orgServer.body.id);
    expect(nowSees).not.toContain(mine.body.id);
    // Members operate but do not manage: deleting needs an org admin.
    expect((await bob.delete(`/api/servers/${orgServer.body.id}`)).status).toBe(403);

    const adminSees = (await admin.get("/api/servers")).body.items.map((x: { id: string }) => x.id);
    expect(adminSees).toEqual(expect.arrayContaining([mine.body.id, orgServer.body.id]));
  });
});

describe("updating", () => {
  it("marks a redeploy needed for changes that need a new instance, and merges env", async () => {
    const created = await alice.post(
      "/api/servers",
      npmServer("Tunable", { env: { A: "1", B: "2" } }),
    );
    const renamed = await alice.patch(`/api/servers/${created.body.id}`, { name: "Tuned" });
    expect(renamed.body).toMatchObject({ name: "Tuned", redeployNeeded: false });
    const env = await alice.patch(`/api/servers/${created.body.id}`, { env: { B: null, C: "3" } });
    expect(env.body).toMatchObject({ envKeys: ["A", "C"], redeployNeeded: true });
  });
});

describe("without bubblewrap", () => {
  it("runs servers unsandboxed, says so, and lets only admins create them", async () => {
    const bare = await startTestServer({
      readiness: { stdioGraceMs: 200 },
      runtimesFor: (dataDir) => ({ process: processRuntime(dataDir, { sandbox: false }) }),
    });
    try {
      const root = (await signUp(bare.client(), "root@example.com")).client;
      const user = (await signUp(bare.client(), "user@example.com")).client;
      const refused = await user.post("/api/servers", npmServer("Mine"));
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/cannot sandbox/);
      const allowed = await root.post("/api/servers", idleServer("Bare"));
      expect(allowed.status).toBe(201);
      expect(allowed.body.sandboxed).toBe(false);
      const running = await waitForStatus(root, allowed.body.id, "running");
      expect(running.sandboxed).toBe(false);
      expect(await waitForLog(root, allowed.body.id, /without a sandbox/i)).toBeTruthy();
      await root.delete(`/api/servers/${allowed.body.id}`);

      // An org admin who is not a site admin cannot change what an unsandboxed server runs.
      const org = await root.post("/api/orgs", { name: "Ops" });
      const inv = await root.post(`/api/orgs/${org.body.id}/invitations`, {
        email: "user@example.com",
        role: "admin",
      });
      await user.post(`/api/me/invitations/${inv.body.id}/accept`);
      const shared = await root.post("/api/servers", {
        name: "Shared bare",
        orgId: org.body.id,
        source: { type: "command", command: "/bin/true" },
        transport: "stdio",
        runtime: "process",
        start: false,
      });
      const change = await user.patch(`/api/servers/${shared.body.id}`, {
        env: { NODE_OPTIONS: "--require /data/x.js" },
      });
      expect(change.status).toBe(403);
      expect(change.body.detail).toMatch(/without a sandbox/);
    } finally {
      await bare.close();
    }
  }, 60_000);
});
