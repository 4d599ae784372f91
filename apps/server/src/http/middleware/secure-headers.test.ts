import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "./secure-headers.js";

function app(https: boolean) {
  const app = new Hono();
  app.use("*", securityHeaders({ https }));
  app.get("/page", (c) => {
    c.header("X-Powered-By", "something");
    return c.text("hello");
  });
  app.get("/written", () => RESPONSE_ALREADY_SENT);
  return app;
}

describe("securityHeaders", () => {
  it("puts the security headers on an answer and drops X-Powered-By", async () => {
    const res = await app(false).request("/page");
    expect(await res.text()).toBe("hello");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-powered-by")).toBeNull();
    // Over plain http HSTS would only confuse a browser on localhost.
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("asks browsers for https only when the public URL is https", async () => {
    const res = await app(true).request("/page");
    expect(res.headers.get("strict-transport-security")).toBe(
      "max-age=15552000; includeSubDomains",
    );
  });

  it("leaves alone the marker of an answer written to Node's response directly", async () => {
    const before = [...RESPONSE_ALREADY_SENT.headers.keys()];
    await app(true).request("/written");
    expect([...RESPONSE_ALREADY_SENT.headers.keys()]).toEqual(before);
    expect(RESPONSE_ALREADY_SENT.headers.get("x-frame-options")).toBeNull();
  });
});
