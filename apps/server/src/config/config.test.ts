import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const load = (env: Record<string, string | undefined>) => loadConfig(env, (p) => `/abs/${p}`);

describe("loadConfig", () => {
  it("runs on the embedded defaults with no environment at all", () => {
    const config = load({});
    expect(config).toMatchObject({
      port: 7070,
      dataDir: "/abs/./.mcphost",
      databaseUrl: undefined,
      secretKey: undefined,
      publicUrl: "http://localhost:7070",
      publicUrlIsDefault: true,
      openRegistration: true,
      logLevel: "info",
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("requires MCPHOST_SECRET_KEY when DATABASE_URL is set, naming it", () => {
    expect(() => load({ DATABASE_URL: "postgres://db/mcphost" })).toThrow(
      /MCPHOST_SECRET_KEY is required/,
    );
  });

  it("requires MCPHOST_SECRET_KEY in production", () => {
    expect(() => load({ NODE_ENV: "production" })).toThrow(/MCPHOST_SECRET_KEY/);
  });

  it("reports every bad setting at once, by name", () => {
    try {
      load({ PORT: "seventy", MCPHOST_OPEN_REGISTRATION: "maybe", MCPHOST_SECRET_KEY: "short" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as ConfigError).problems.join("\n");
      expect(text).toContain("PORT");
      expect(text).toContain("MCPHOST_OPEN_REGISTRATION");
      expect(text).toContain("MCPHOST_SECRET_KEY: must be at least 32 characters");
    }
  });

  it("treats empty variables as unset and keeps the public URL as an origin", () => {
    const config = load({ PORT: "", MCPHOST_PUBLIC_URL: "https://mcp.example.com/" });
    expect(config.port).toBe(7070);
    expect(config.publicUrl).toBe("https://mcp.example.com");
    expect(config.publicUrlIsDefault).toBe(false);
  });

  it("refuses a public URL with a path, which MCP Host cannot serve under", () => {
    expect(() => load({ MCPHOST_PUBLIC_URL: "https://example.com/mcphost" })).toThrow(
      /MCPHOST_PUBLIC_URL: must be an origin/,
    );
  });

  it("samples CPU and memory every 15 s and keeps a week by default, both settable", () => {
    expect(load({}).stats).toEqual({ intervalMs: 15_000, retentionMs: 7 * 86_400_000 });
    const config = load({ MCPHOST_STATS_INTERVAL_SECONDS: "5", MCPHOST_STATS_RETENTION_DAYS: "2" });
    expect(config.stats).toEqual({ intervalMs: 5_000, retentionMs: 2 * 86_400_000 });
    expect(() => load({ MCPHOST_STATS_INTERVAL_SECONDS: "0" })).toThrow(
      /MCPHOST_STATS_INTERVAL_SECONDS/,
    );
  });

  it("rejects a DATABASE_URL that is not PostgreSQL", () => {
    expect(() => load({ DATABASE_URL: "mysql://x", MCPHOST_SECRET_KEY: "k".repeat(32) })).toThrow(
      /DATABASE_URL/,
    );
  });
});
