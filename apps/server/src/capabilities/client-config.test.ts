import { describe, expect, it } from "vitest";
import { serverFixture } from "../../test/support/server-fixture.js";
import { buildClientConfig, type ClientSnippet } from "./client-config.js";

const PUBLIC_URL = "https://mcp.example.com";
const URL = "https://mcp.example.com/mcp/weather";

function snippet(config: { clients: ClientSnippet[] }, id: ClientSnippet["id"]) {
  const found = config.clients.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} snippet`);
  return found;
}

const parsed = (config: { clients: ClientSnippet[] }, id: ClientSnippet["id"]) =>
  JSON.parse(snippet(config, id).snippet);

describe("client config for a server that needs a key", () => {
  const config = buildClientConfig({ server: serverFixture(), publicUrl: PUBLIC_URL });

  it("names the endpoint, the legacy SSE endpoint and the header with a placeholder", () => {
    expect(config).toMatchObject({
      url: URL,
      transport: "streamable-http",
      sseUrl: `${URL}/sse`,
      header: { name: "Authorization", value: "Bearer <YOUR_API_KEY>" },
    });
    expect(config.clients.map((c) => c.id)).toEqual([
      "claude-desktop",
      "claude-code",
      "cursor",
      "vscode",
      "windsurf",
      "typescript",
      "python",
    ]);
  });

  it("gives JSON snippets that parse, in each client's own format", () => {
    for (const client of config.clients.filter((c) => c.format === "json")) {
      expect(() => JSON.parse(client.snippet), client.id).not.toThrow();
    }
    expect(parsed(config, "claude-desktop")).toEqual({
      mcpServers: {
        weather: {
          command: "npx",
          args: ["-y", "mcp-remote", URL, "--header", `Authorization:\${MCPHOST_AUTH_HEADER}`],
          env: { MCPHOST_AUTH_HEADER: "Bearer <YOUR_API_KEY>" },
        },
      },
    });
    expect(parsed(config, "cursor")).toEqual({
      mcpServers: {
        weather: { url: URL, headers: { Authorization: `Bearer \${env:MCPHOST_API_KEY}` } },
      },
    });
    expect(parsed(config, "vscode")).toEqual({
      inputs: [
        {
          type: "promptString",
          id: "mcphost-api-key",
          description: "API key for Weather Tools on MCP Host",
          password: true,
        },
      ],
      servers: {
        weather: {
          type: "http",
          url: URL,
          headers: { Authorization: `Bearer \${input:mcphost-api-key}` },
        },
      },
    });
    expect(parsed(config, "windsurf")).toEqual({
      mcpServers: {
        weather: { serverUrl: URL, headers: { Authorization: `Bearer \${env:MCPHOST_API_KEY}` } },
      },
    });
    expect(snippet(config, "cursor").file).toBe(".cursor/mcp.json");
    expect(snippet(config, "vscode").file).toBe(".vscode/mcp.json");
  });

  it("gives commands and code that send the key as a Bearer and never put it in the URL", () => {
    expect(snippet(config, "claude-code").snippet).toBe(
      `claude mcp add --transport http weather ${URL} \\\n  --header "Authorization: Bearer $MCPHOST_API_KEY"`,
    );
    const ts = snippet(config, "typescript").snippet;
    expect(ts).toContain(`new StreamableHTTPClientTransport(new URL("${URL}")`);
    expect(ts).toContain(
      `requestInit: { headers: { Authorization: \`Bearer \${process.env.MCPHOST_API_KEY}\` } }`,
    );
    const py = snippet(config, "python").snippet;
    expect(py).toContain("from mcp.client.streamable_http import streamablehttp_client");
    expect(py).toContain(`streamablehttp_client("${URL}", headers=headers)`);
    for (const client of config.clients) {
      expect(client.snippet, client.id).not.toMatch(/[?&](key|token|api_key)=/i);
    }
  });
});

describe("client config for a public server", () => {
  const config = buildClientConfig({
    server: serverFixture({ public: true }),
    publicUrl: PUBLIC_URL,
  });

  it("has no header anywhere", () => {
    expect(config.header).toBeNull();
    for (const client of config.clients) {
      expect(client.snippet, client.id).not.toContain("Authorization");
      expect(client.snippet, client.id).not.toContain("YOUR_API_KEY");
    }
    expect(parsed(config, "claude-desktop").mcpServers.weather).toEqual({
      command: "npx",
      args: ["-y", "mcp-remote", URL],
    });
    expect(parsed(config, "vscode")).toEqual({ servers: { weather: { type: "http", url: URL } } });
    expect(snippet(config, "claude-code").snippet).toBe(
      `claude mcp add --transport http weather ${URL}`,
    );
  });
});

describe("names and plain http", () => {
  it("uses a key every client accepts and lets mcp-remote use http on a LAN address", () => {
    const config = buildClientConfig({
      server: serverFixture({ slug: "7zip", public: true }),
      publicUrl: "http://10.0.0.5:7070",
    });
    expect(Object.keys(parsed(config, "vscode").servers)).toEqual(["mcp-7zip"]);
    expect(parsed(config, "claude-desktop").mcpServers["mcp-7zip"].args).toEqual([
      "-y",
      "mcp-remote",
      "http://10.0.0.5:7070/mcp/7zip",
      "--allow-http",
    ]);
    const local = buildClientConfig({
      server: serverFixture(),
      publicUrl: "http://localhost:7070",
    });
    expect(parsed(local, "claude-desktop").mcpServers.weather.args).not.toContain("--allow-http");
  });
});
