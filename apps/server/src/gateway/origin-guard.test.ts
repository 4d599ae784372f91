import { describe, expect, it } from "vitest";
import { createOriginGuard } from "./origin-guard.js";

const guard = (
  publicUrl: string,
  options: { isDefault?: boolean; port?: number; allowedOrigins?: string[] } = {},
) =>
  createOriginGuard({
    publicUrl,
    publicUrlIsDefault: options.isDefault ?? false,
    port: options.port ?? 7070,
    gateway: {
      allowedOrigins: options.allowedOrigins ?? [],
      sessionIdleMs: 60_000,
      traceRetention: 1000,
      traceMaxBytes: 16_384,
    },
  });

describe("origin guard (DNS rebinding)", () => {
  const hosted = guard("https://mcp.example.com", {
    allowedOrigins: ["https://App.Example.org/", "http://tools.internal:8080"],
  });

  it("lets requests from our own origin and host through", () => {
    expect(
      hosted.check({ host: "mcp.example.com", origin: "https://mcp.example.com" }),
    ).toBeUndefined();
    // The default port may be spelled out, and names compare case-insensitively.
    expect(hosted.check({ host: "MCP.example.com:443", origin: null })).toBeUndefined();
  });

  it("lets clients without an Origin through (non-browser clients send none)", () => {
    expect(hosted.check({ host: "mcp.example.com" })).toBeUndefined();
    expect(hosted.check({ host: "mcp.example.com", origin: null })).toBeUndefined();
  });

  it("accepts the configured extra origins, and their hosts", () => {
    expect(
      hosted.check({ host: "mcp.example.com", origin: "https://app.example.org" }),
    ).toBeUndefined();
    expect(
      hosted.check({ host: "tools.internal:8080", origin: "http://tools.internal:8080" }),
    ).toBeUndefined();
  });

  it("refuses a foreign Origin with 403", () => {
    const rejected = hosted.check({ host: "mcp.example.com", origin: "https://evil.example" });
    expect(rejected).toEqual({ status: 403, detail: expect.stringContaining("evil.example") });
    // Same host, other scheme or port: another origin.
    expect(
      hosted.check({ host: "mcp.example.com", origin: "http://mcp.example.com" })?.status,
    ).toBe(403);
    expect(
      hosted.check({ host: "mcp.example.com", origin: "https://mcp.example.com:8443" })?.status,
    ).toBe(403);
    // Sandboxed frames and file pages send "null"; garbage is no origin of ours either.
    expect(hosted.check({ host: "mcp.example.com", origin: "null" })?.status).toBe(403);
    expect(hosted.check({ host: "mcp.example.com", origin: "not a url" })?.status).toBe(403);
  });

  it("refuses a Host that names another site (a rebound DNS name), even without Origin", () => {
    const rejected = hosted.check({ host: "attacker.example" });
    expect(rejected).toEqual({ status: 403, detail: expect.stringContaining("attacker.example") });
    expect(hosted.check({ host: "mcp.example.com:8443" })?.status).toBe(403);
    expect(hosted.check({ host: "" })?.status).toBe(403);
  });

  it("with the default localhost URL, accepts the loopback spellings on the configured port", () => {
    const local = guard("http://localhost:7070", { isDefault: true, port: 7070 });
    for (const origin of ["http://localhost:7070", "http://127.0.0.1:7070", "http://[::1]:7070"]) {
      const host = new URL(origin).host;
      expect(local.check({ host, origin }), origin).toBeUndefined();
    }
    expect(local.check({ host: "LOCALHOST:7070" })).toBeUndefined();
    expect(local.check({ host: "localhost:7071" })?.status).toBe(403);
    expect(local.check({ host: "localhost" })?.status).toBe(403);
    expect(local.check({ host: "localhost:7070", origin: "http://127.0.0.1:9999" })?.status).toBe(
      403,
    );
  });

  it("does not accept loopback names when a public URL is configured", () => {
    expect(hosted.check({ host: "localhost:7070" })?.status).toBe(403);
    expect(hosted.check({ host: "mcp.example.com", origin: "http://127.0.0.1:7070" })?.status).toBe(
      403,
    );
  });
});
