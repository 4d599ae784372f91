import { describe, expect, it } from "vitest";
import { serverFixture } from "../../test/support/server-fixture.js";
import type { ServerCapabilities } from "../domain/servers/server-capabilities.js";
import { AI_CATALOG_MEDIA_TYPE, buildAiCatalog, METADATA_EXTENSION } from "./ai-catalog.js";
import {
  buildServerCard,
  cardNamespace,
  DISCOVERY_META_KEY,
  SERVER_CARD_MEDIA_TYPE,
  SERVER_CARD_SCHEMA,
} from "./server-card.js";

const PUBLIC_URL = "https://mcp.example.com";

const discovered: ServerCapabilities = {
  serverId: "srv_fixture",
  protocolVersion: "2025-11-25",
  serverInfo: {
    name: "acme/weather",
    version: "2.0.1",
    websiteUrl: "https://weather.example.org",
    icons: [{ src: "https://weather.example.org/icon.png", mimeType: "image/png" }, { src: "x" }],
  },
  capabilities: { tools: { listChanged: true }, prompts: {} },
  instructions: "Ask about the weather.",
  tools: [
    {
      name: "forecast",
      title: "Forecast",
      description: "Next days",
      inputSchema: { type: "object" },
    },
  ],
  resources: [{ uri: "weather://stations", name: "stations" }],
  resourceTemplates: [],
  prompts: [{ name: "brief", description: "A weather brief" }],
  error: null,
  discoveredAt: new Date("2026-01-02T04:00:00Z"),
  revision: 3,
};

describe("server cards", () => {
  it("describes a private server: where to connect and the Authorization header it needs", () => {
    const card = buildServerCard({ server: serverFixture(), publicUrl: PUBLIC_URL });
    expect(SERVER_CARD_MEDIA_TYPE).toBe("application/mcp-server-card+json");
    expect(card).toMatchObject({
      $schema: SERVER_CARD_SCHEMA,
      name: "com.example.mcp/weather",
      title: "Weather Tools",
      description: "Forecasts and alerts",
      version: "1.2.3",
    });
    expect(card.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(card.remotes.map((r) => [r.type, r.url])).toEqual([
      ["streamable-http", "https://mcp.example.com/mcp/weather"],
      ["sse", "https://mcp.example.com/mcp/weather/sse"],
    ]);
    for (const remote of card.remotes) {
      expect(remote.headers).toEqual([
        expect.objectContaining({ name: "Authorization", isRequired: true, isSecret: true }),
      ]);
    }
    expect(card._meta).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain("sk-secret");
  });

  it("needs no header for a public server and uses what discovery found", () => {
    const card = buildServerCard({
      server: serverFixture({ public: true }),
      capabilities: discovered,
      publicUrl: PUBLIC_URL,
    });
    expect(card.remotes.every((r) => r.headers === undefined)).toBe(true);
    expect(card.version).toBe("2.0.1");
    expect(card.websiteUrl).toBe("https://weather.example.org");
    expect(card.icons).toEqual([
      { src: "https://weather.example.org/icon.png", mimeType: "image/png" },
    ]);
    expect(card._meta?.[DISCOVERY_META_KEY]).toEqual({
      discoveredAt: "2026-01-02T04:00:00.000Z",
      protocolVersion: "2025-11-25",
      capabilities: { tools: { listChanged: true }, prompts: {} },
      tools: [{ name: "forecast", title: "Forecast", description: "Next days" }],
      prompts: [{ name: "brief", description: "A weather brief" }],
      resourceCount: 1,
      resourceTemplateCount: 0,
    });
  });

  it("keeps the draft's limits: a description of 1 to 100 characters and some version", () => {
    const long = buildServerCard({
      server: serverFixture({
        description: "x ".repeat(200),
        source: { type: "image", image: "a" },
      }),
      publicUrl: PUBLIC_URL,
    });
    expect(long.description.length).toBeLessThanOrEqual(100);
    expect(long.description.endsWith("…")).toBe(true);
    expect(long.version).toBe("0.0.0-unknown");

    const empty = buildServerCard({
      server: serverFixture({ description: "" }),
      publicUrl: PUBLIC_URL,
    });
    expect(empty.description).toBe("Weather Tools, an MCP server on MCP Host");
  });

  it("names cards after the host: reversed domains, addresses and localhost as they are", () => {
    expect(cardNamespace("https://mcp.example.com")).toBe("com.example.mcp");
    expect(cardNamespace("http://localhost:7070")).toBe("localhost");
    expect(cardNamespace("http://127.0.0.1:7070")).toBe("127.0.0.1");
    expect(cardNamespace("http://[::1]:7070")).toMatch(/^[a-zA-Z0-9.-]+$/);
  });
});

describe("the AI catalog", () => {
  it("lists each server with its card, MCP endpoint and protocol", () => {
    const catalog = buildAiCatalog({
      servers: [
        serverFixture({ public: true }),
        serverFixture({ slug: "notes", name: "Notes", description: "" }),
      ],
      publicUrl: PUBLIC_URL,
    });
    expect(AI_CATALOG_MEDIA_TYPE).toBe("application/ai-catalog+json");
    expect(catalog.specVersion).toBe("1.0");
    expect(catalog.host).toEqual({
      displayName: "MCP Host",
      identifier: "mcp.example.com",
      documentationUrl: "https://mcp.example.com/api/docs",
    });
    expect(catalog.entries[0]).toEqual({
      identifier: "urn:air:mcp.example.com:mcp:weather",
      displayName: "Weather Tools",
      description: "Forecasts and alerts",
      type: "application/mcp-server-card+json",
      url: "https://mcp.example.com/mcp/weather/server-card",
      tags: ["mcp"],
      updatedAt: "2026-01-02T03:04:05.000Z",
      extensions: {
        [METADATA_EXTENSION]: {
          protocol: "mcp",
          transport: "streamable-http",
          mcpUrl: "https://mcp.example.com/mcp/weather",
          sseUrl: "https://mcp.example.com/mcp/weather/sse",
        },
      },
    });
    expect(catalog.entries[1]).not.toHaveProperty("description");
  });
});
