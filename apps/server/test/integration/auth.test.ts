import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let admin: ApiClient;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  server = await startTestServer({
    loginLimits: {
      windowSeconds: 60,
      maxFailuresPerAccount: 3,
      maxAttemptsPerIp: 1000,
      maxRegistrationsPerIp: 1000,
    },
  });
  admin = (await signUp(server.client(), "root@example.com", PASSWORD)).client;
});
afterAll(() => server?.close());

describe("registration", () => {
  it("makes the first user admin and later users plain users", async () => {
    expect((await admin.get("/api/me")).body).toMatchObject({
      email: "root@example.com",
      role: "admin",
    });
    const { user } = await signUp(server.client(), "second@example.com");
    expect(user.role).toBe("user");
  });

  it("gives every user the default server quota of 10", async () => {
    const me = await admin.get("/api/me");
    expect(me.body.serverQuota).toBe(10);
  });

  it("refuses a second account for the same email, whatever its case", async () => {
    const res = await server.client().post("/api/auth/register", {
      email: "ROOT@Example.com",
      password: PASSWORD,
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "EMAIL_TAKEN", errors: [{ field: "email" }] });
  });

  it("rejects a short password, naming the field", async () => {
    const res = await server
      .client()
      .post("/api/auth/register", { email: "x@example.com", password: "short" });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: "password", detail: "must be at least 8 characters" },
    ]);
  });

  it("never stores or returns the password", async () => {
    const res = await server.client().post("/api/auth/register", {
      email: "secretive@example.com",
      password: "hunter2-hunter2",
    });
    expect(JSON.stringify(res.body)).not.toContain("hunter2");
    expect(server.rawLogs()).not.toContain("hunter2");
  });
});

describe("sessions", () => {
  it("sets an httpOnly, SameSite=Lax session cookie on login", async () => {
    const res = await server
      .client()
      .post("/api/auth/login", { email: "root@example.com", password: PASSWORD });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("mcphost_session="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
  });

  it("answers an unknown email and a wrong password identically", async () => {
    const wrong = await server
      .client()
      .post("/api/auth/login", { email: "root@example.com", password: "nope-nope-nope" });
    const unknown = await server
      .client()
      .post("/api/auth/login", { email: "ghost@example.com", password: "nope-nope-nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it("ends the session on logout: the old cookie no longer works", async () => {
    const { client } = await signUp(server.client(), "leaver@example.com");
    const stolen = client.cookie("mcphost_session") as string;
    expect((await client.post("/api/auth/logout")).status).toBe(204);
    expect((await client.get("/api/me")).status).toBe(401);
    const replay = server.client();
    replay.setCookie("mcphost_session", stolen);
    const res = await replay.get("/api/me");
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("UNAUTHENTICATED");
  });

  it("signs out every other session when the password changes", async () => {
    const email = "changer@example.com";
    const { client: laptop } = await signUp(server.client(), email);
    const phone = server.client();
    await phone.post("/api/auth/login", { email, password: PASSWORD });
    expect((await phone.get("/api/me")).status).toBe(200);

    const wrongCurrent = await laptop.post("/api/me/password", {
      currentPassword: "bad-bad-bad",
      newPassword: "new password 1",
    });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body.errors[0].field).toBe("currentPassword");

    const res = await laptop.post("/api/me/password", {
      currentPassword: PASSWORD,
      newPassword: "new password 1",
    });
    expect(res.status).toBe(204);
    expect((await phone.get("/api/me")).status).toBe(401);
    expect((await laptop.get("/api/me")).status).toBe(200); // got a fresh session
    const relogin = await server
      .client()
      .post("/api/auth/login", { email, password: "new password 1" });
    expect(relogin.status).toBe(200);
  });

  it("rejects a forged or tampered session cookie", async () => {
    const { client } = await signUp(server.client(), "tamper@example.com");
    const [h, p, s] = (client.cookie("mcphost_session") as string).split(".");
    const claims = JSON.parse(Buffer.from(p as string, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "usr_someoneelse" })).toString(
      "base64url",
    );
    const noneHeader = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString(
      "base64url",
    );
    for (const token of [`${h}.${forged}.${s}`, `${noneHeader}.${p}.`, "garbage"]) {
      const c = server.client();
      c.setCookie("mcphost_session", token);
      expect((await c.get("/api/me")).status).toBe(401);
    }
  });
});

describe("login rate limiting", () => {
  it("locks an account after repeated failures with 429 and Retry-After, even for the right password", async () => {
    const email = "target@example.com";
    await signUp(server.client(), email);
    for (let i = 0; i < 3; i++) {
      const res = await server.client().post("/api/auth/login", { email, password: "guess-guess" });
      expect(res.status).toBe(401);
    }
    const locked = await server.client().post("/api/auth/login", { email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("RATE_LIMITED");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Other accounts are unaffected.
    const other = await server
      .client()
      .post("/api/auth/login", { email: "root@example.com", password: PASSWORD });
    expect(other.status).toBe(200);
  });
});

describe("registration rate limiting", () => {
  it("limits how many accounts one address can create", async () => {
    const limited = await startTestServer({
      loginLimits: {
        windowSeconds: 60,
        maxFailuresPerAccount: 10,
        maxAttemptsPerIp: 100,
        maxRegistrationsPerIp: 2,
      },
    });
    try {
      await signUp(limited.client(), "one@example.com");
      await signUp(limited.client(), "two@example.com");
      const third = await limited
        .client()
        .post("/api/auth/register", { email: "three@example.com", password: PASSWORD });
      expect(third.status).toBe(429);
      expect(third.body.detail).toBe("Too many registrations; try again later");
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe("CSRF", () => {
  it("refuses a cookie-authenticated write without Origin or Referer", async () => {
    const { client } = await signUp(server.client(), "csrf@example.com");
    client.origin = undefined;
    const res = await client.post("/api/orgs", { name: "Sneaky" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("CSRF_REJECTED");
    // A Referer from our own pages is accepted when a browser omits Origin.
    const ok = await client.post(
      "/api/orgs",
      { name: "Legit" },
      { headers: { referer: `${server.url.replace("127.0.0.1", "localhost")}/orgs` } },
    );
    expect(ok.status).toBe(201);
  });

  it("refuses writes from a foreign origin, including login", async () => {
    const { client } = await signUp(server.client(), "csrf2@example.com");
    const res = await client.post(
      "/api/orgs",
      { name: "Evil" },
      { headers: { origin: "https://evil.example" } },
    );
    expect(res.status).toBe(403);
    const login = await server
      .client()
      .post(
        "/api/auth/login",
        { email: "csrf2@example.com", password: PASSWORD },
        { headers: { origin: "https://evil.example" } },
      );
    expect(login.status).toBe(403);
    expect(login.body.code).toBe("CSRF_REJECTED");
  });
});

describe("closing registration", () => {
  it("lets an admin close registration; invited emails may still register", async () => {
    const closed = await admin.patch("/api/admin/settings", { registrationOpen: false });
    expect(closed.body).toMatchObject({ registrationOpen: false, registrationConfigurable: true });

    const refused = await server
      .client()
      .post("/api/auth/register", { email: "late@example.com", password: PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("REGISTRATION_CLOSED");

    const org = await admin.post("/api/orgs", { name: "Invite Only" });
    await admin.post(`/api/orgs/${org.body.id}/invitations`, { email: "invited@example.com" });
    const invited = await server
      .client()
      .post("/api/auth/register", { email: "invited@example.com", password: PASSWORD });
    expect(invited.status).toBe(201);

    await admin.patch("/api/admin/settings", { registrationOpen: true });
    const reopened = await server
      .client()
      .post("/api/auth/register", { email: "late@example.com", password: PASSWORD });
    expect(reopened.status).toBe(201);
  });
});

describe("MCPHOST_OPEN_REGISTRATION=false", () => {
  it("allows only the first account, and an admin cannot reopen it", async () => {
    const closedServer = await startTestServer({ env: { MCPHOST_OPEN_REGISTRATION: "false" } });
    try {
      const { client: first } = await signUp(closedServer.client(), "first@example.com");
      const res = await closedServer
        .client()
        .post("/api/auth/register", { email: "second@example.com", password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("REGISTRATION_CLOSED");
      const reopen = await first.patch("/api/admin/settings", { registrationOpen: true });
      expect(reopen.status).toBe(409);
    } finally {
      await closedServer.close();
    }
  });
});
