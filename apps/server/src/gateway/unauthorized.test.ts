import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { unauthorized } from "./unauthorized.js";

const publicUrl = "https://mcp.example.com";
const app = new Hono()
  .get("/mcp/:slug", (c) => unauthorized(c, { publicUrl, slug: c.req.param("slug") }))
  .get("/bad/:slug", (c) =>
    unauthorized(c, { publicUrl, slug: c.req.param("slug"), invalidToken: true }),
  );

describe("the MCP endpoints' 401", () => {
  it("is problem+json with a Bearer challenge pointing at the server's resource metadata", async () => {
    const res = await app.request("/mcp/weather");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp/weather"',
    );
    expect(await res.json()).toMatchObject({
      status: 401,
      code: "UNAUTHENTICATED",
      instance: "/mcp/weather",
      detail: expect.stringContaining("mhk_"),
    });
  });

  it("says invalid_token when a credential was sent and refused", async () => {
    const res = await app.request("/bad/weather");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer error="invalid_token", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp/weather"',
    );
    expect(((await res.json()) as { code: string }).code).toBe("UNAUTHENTICATED");
  });
});
