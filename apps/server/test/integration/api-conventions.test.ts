import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signUp } from "../support/api-client.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let alice: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { MCPHOST_MAX_BODY_BYTES: "4096" } });
  alice = (await signUp(server.client(), "alice@example.com")).client;
});
afterAll(() => server?.close());

function expectProblem(
  res: { status: number; contentType: string; body: any },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.contentType).toContain("application/problem+json");
  expect(res.body).toMatchObject({
    status,
    code,
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(res.body.requestId).toMatch(/^req_|^[A-Za-z0-9._-]{8,}$/);
}

describe("OpenAPI document and reference", () => {
  it("is OpenAPI 3.1 and documents every API route with its method", async () => {
    const doc = (await server.client().get("/api/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const route of [
      "POST /api/auth/register",
      "POST /api/auth/login",
      "POST /api/auth/logout",
      "GET /api/me",
      "POST /api/me/password",
      "POST /api/tokens",
      "GET /api/tokens",
      "DELETE /api/tokens/{tokenId}",
      "POST /api/orgs",
      "GET /api/orgs",
      "GET /api/orgs/{orgId}",
      "PATCH /api/orgs/{orgId}",
      "DELETE /api/orgs/{orgId}",
      "GET /api/orgs/{orgId}/members",
      "PATCH /api/orgs/{orgId}/members/{userId}",
      "DELETE /api/orgs/{orgId}/members/{userId}",
      "POST /api/orgs/{orgId}/invitations",
      "GET /api/admin/users",
      "PATCH /api/admin/users/{userId}",
      "GET /api/admin/settings",
      "POST /api/servers",
      "GET /api/servers",
      "GET /api/servers/{serverId}",
      "PATCH /api/servers/{serverId}",
      "DELETE /api/servers/{serverId}",
      "POST /api/servers/{serverId}/start",
      "POST /api/servers/{serverId}/stop",
      "POST /api/servers/{serverId}/restart",
      "POST /api/servers/{serverId}/redeploy",
      "GET /api/servers/{serverId}/logs",
      "GET /api/servers/{serverId}/logs/stream",
      "GET /api/servers/{serverId}/metrics",
      "GET /api/servers/{serverId}/metrics/stream",
      "GET /api/servers/{serverId}/events",
      "GET /api/servers/events",
      "GET /api/servers/{serverId}/stats",
      "GET /api/servers/{serverId}/files",
      "PUT /api/servers/{serverId}/files/{path}",
      "GET /api/servers/{serverId}/files/{path}",
      "DELETE /api/servers/{serverId}/files/{path}",
      "GET /healthz",
      "GET /readyz",
      "GET /metrics",
    ]) {
      expect(documented).toContain(route);
    }
    // Every operation has a summary and declares its error shape.
    for (const ops of Object.values(doc.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(ops)) expect(op.summary).toBeTruthy();
    }
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(doc.paths["/api/orgs"].post.security).toEqual([{ cookieAuth: [] }, { bearerAuth: [] }]);
  });

  it("serves a readable reference at /api/docs with its assets", async () => {
    const page = await server.client().get("/api/docs");
    expect(page.status).toBe(200);
    expect(page.body).toContain("MCP Host API reference");
    for (const asset of [
      "/api/docs/swagger-ui-bundle.js",
      "/api/docs/swagger-ui.css",
      "/api/docs/init.js",
    ]) {
      expect((await server.client().get(asset)).status).toBe(200);
    }
    expect((await server.client().get("/api/docs/package.json")).status).toBe(404);
  });
});

describe("bad input never causes a 500", () => {
  it("malformed JSON", async () => {
    expectProblem(await alice.post("/api/orgs", "{not json"), 400, "MALFORMED_JSON");
  });

  it("missing and wrongly typed fields are named", async () => {
    const missing = await server.client().post("/api/auth/register", {});
    expectProblem(missing, 400, "VALIDATION_FAILED");
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "email",
      "password",
    ]);
    const wrongType = await alice.post("/api/orgs", { name: 42 });
    expectProblem(wrongType, 400, "VALIDATION_FAILED");
    expect(wrongType.body.errors[0].field).toBe("name");
    const notObject = await alice.post("/api/orgs", "[1,2,3]");
    expectProblem(notObject, 400, "VALIDATION_FAILED");
  });

  it("overlong strings", async () => {
    const res = await alice.post("/api/orgs", { name: "x".repeat(101) });
    expectProblem(res, 400, "VALIDATION_FAILED");
    expect(res.body.errors[0]).toEqual({ field: "name", detail: "must be at most 100 characters" });
    const longEmail = await server
      .client()
      .post("/api/auth/login", { email: `${"a".repeat(300)}@example.com`, password: "x" });
    expectProblem(longEmail, 400, "VALIDATION_FAILED");
  });

  it("SQL-looking strings are stored as text, not executed", async () => {
    const name = "Robert'); DROP TABLE orgs;--";
    const res = await alice.post("/api/orgs", { name });
    expect(res.status).toBe(201);
    expect((await alice.get(`/api/orgs/${res.body.id}`)).body.name).toBe(name);
    const login = await server
      .client()
      .post("/api/auth/login", { email: "' OR 1=1 --@example.com", password: "' OR '1'='1" });
    expect([400, 401]).toContain(login.status);
    expect((await alice.get("/api/orgs")).status).toBe(200);
    const odd = await alice.get("/api/orgs/'%20OR%201=1");
    expectProblem(odd, 404, "NOT_FOUND");
  });

  it("a body that is not JSON gets 415", async () => {
    const res = await alice.post("/api/orgs", "name=x", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("a body over the limit gets 413", async () => {
    const res = await alice.post("/api/orgs", { name: "x", padding: "y".repeat(10_000) });
    expectProblem(res, 413, "PAYLOAD_TOO_LARGE");
  });

  it("control characters and bad query parameters", async () => {
    expectProblem(
      await alice.post("/api/orgs", { name: "bad\u0000name" }),
      400,
      "VALIDATION_FAILED",
    );
    const admin = alice; // first user is admin
    const q = await admin.get("/api/admin/users?limit=-5");
    expectProblem(q, 400, "VALIDATION_FAILED");
    expect(q.body.errors[0].field).toBe("limit");
  });

  it("unknown API routes answer problem+json 404", async () => {
    expectProblem(await alice.get("/api/nope"), 404, "ROUTE_NOT_FOUND");
    expectProblem(await alice.post("/api/me", {}), 404, "ROUTE_NOT_FOUND");
  });

  it("unauthenticated requests get 401 with a Bearer challenge", async () => {
    const res = await server.client().get("/api/orgs");
    expectProblem(res, 401, "UNAUTHENTICATED");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="mcphost"');
  });
});

describe("operations", () => {
  it("answers liveness and readiness", async () => {
    expect((await server.client().get("/healthz")).body).toEqual({ status: "ok" });
    expect((await server.client().get("/readyz")).body).toEqual({ status: "ok" });
  });

  it("echoes a request id on every response, and keeps a sane caller-supplied one", async () => {
    const res = await alice.get("/api/me");
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-z]{20}$/);
    const mine = await alice.get("/api/me", { headers: { "x-request-id": "trace-12345678" } });
    expect(mine.headers.get("x-request-id")).toBe("trace-12345678");
    const hostile = await alice.get("/api/me", { headers: { "x-request-id": "a\tb" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^req_/);
    const logged = server.logs().find((l) => l.requestId === "trace-12345678");
    expect(logged).toMatchObject({ msg: "request", method: "GET", route: "/api/me", status: 200 });
  });

  it("counts requests by route pattern and status in /metrics", async () => {
    await alice.get("/api/orgs");
    await alice.get("/api/orgs/org_unknown");
    const text = (await server.client().get("/metrics")).body as string;
    expect(text).toMatch(
      /mcphost_http_requests_total\{method="GET",route="\/api\/orgs",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /mcphost_http_requests_total\{method="GET",route="\/api\/orgs\/:orgId",status="404"\} [1-9]/,
    );
    expect(text).toContain("mcphost_http_request_duration_seconds_bucket");
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("keeps credentials out of the logs", async () => {
    const { body } = await alice.post("/api/tokens", {
      name: "log-check",
      scopes: ["account:read"],
    });
    await server.client().withToken(body.token).get("/api/me");
    const raw = server.rawLogs();
    expect(raw).not.toContain(body.token);
    expect(raw).not.toContain(alice.cookie("mcphost_session"));
    expect(raw).not.toContain("correct horse battery");
  });
});

describe("readiness", () => {
  it("answers 503 problem+json once the database is gone, while liveness stays up", async () => {
    const s = await startTestServer();
    try {
      await s.database.close();
      const res = await s.client().get("/readyz");
      expectProblem(res, 503, "SERVICE_UNAVAILABLE");
      expect((await s.client().get("/healthz")).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe("roles", () => {
  it("serves only health and metrics on a worker-only replica", async () => {
    const worker = await startTestServer({ env: { MCPHOST_ROLES: "worker" } });
    try {
      expect((await worker.client().get("/healthz")).status).toBe(200);
      expect((await worker.client().get("/metrics")).status).toBe(200);
      const api = await worker
        .client()
        .post("/api/auth/register", { email: "x@example.com", password: "long enough pw" });
      expect(api.status).toBe(404);
      expect(api.body.code).toBe("ROUTE_NOT_FOUND");
    } finally {
      await worker.close();
    }
  });
});

describe("metrics token", () => {
  it("protects /metrics when MCPHOST_METRICS_TOKEN is set", async () => {
    const s = await startTestServer({ env: { MCPHOST_METRICS_TOKEN: "metrics-token-0123456789" } });
    try {
      expect((await s.client().get("/metrics")).status).toBe(401);
      const ok = await s.client().withToken("metrics-token-0123456789").get("/metrics");
      expect(ok.status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
