import type { Server } from "../domain/servers/server.js";
import { mcpUrlOf, sseUrlOf } from "./server-card.js";

/**
 * Ready-to-paste settings for connecting MCP clients to a server through the gateway. Keys are
 * shown once when made, so snippets carry a placeholder or read the key from the environment
 * (`MCPHOST_API_KEY`, the key itself); a key never goes into a URL.
 */
export const API_KEY_PLACEHOLDER = "<YOUR_API_KEY>";
export const API_KEY_ENV = "MCPHOST_API_KEY";
/** Claude Desktop's mcp-remote takes the whole header value from its own `env` block. */
export const AUTH_HEADER_ENV = "MCPHOST_AUTH_HEADER";

/** The clients there is a snippet for, in the order they are offered. */
export const CLIENT_IDS = [
  "claude-desktop",
  "claude-code",
  "cursor",
  "vscode",
  "windsurf",
  "typescript",
  "python",
] as const;
export const SNIPPET_FORMATS = ["json", "shell", "typescript", "python"] as const;

export interface ClientSnippet {
  id: (typeof CLIENT_IDS)[number];
  name: string;
  format: (typeof SNIPPET_FORMATS)[number];
  /** Where the snippet goes, when it goes in a file. */
  file?: string;
  snippet: string;
}

export interface ClientConfig {
  url: string;
  transport: "streamable-http";
  /** The legacy HTTP+SSE endpoint, for clients that only speak protocol 2024-11-05. */
  sseUrl: string;
  /** The header every request needs; null for public servers. */
  header: { name: "Authorization"; value: string } | null;
  clients: ClientSnippet[];
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A name every client accepts as a key (VS Code wants a leading letter). */
const configKey = (slug: string) => (/^[a-zA-Z]/.test(slug) ? slug : `mcp-${slug}`);

/** mcp-remote refuses plain http except to this machine unless told otherwise. */
function needsAllowHttp(url: string) {
  const { protocol, hostname } = new URL(url);
  return protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(hostname);
}

export function buildClientConfig(input: { server: Server; publicUrl: string }): ClientConfig {
  const { server, publicUrl } = input;
  const url = mcpUrlOf(publicUrl, server.slug);
  const key = configKey(server.slug);
  const secured = !server.public;
  const bearerFromEnv = `Bearer \${env:${API_KEY_ENV}}`;

  const claudeDesktop = {
    mcpServers: {
      [key]: {
        command: "npx",
        args: [
          "-y",
          "mcp-remote",
          url,
          ...(needsAllowHttp(url) ? ["--allow-http"] : []),
          // No space after the colon: some clients split arguments on spaces (Windows).
          ...(secured ? ["--header", `Authorization:\${${AUTH_HEADER_ENV}}`] : []),
        ],
        ...(secured ? { env: { [AUTH_HEADER_ENV]: `Bearer ${API_KEY_PLACEHOLDER}` } } : {}),
      },
    },
  };
  const claudeCode = [
    `claude mcp add --transport http ${key} ${url}`,
    ...(secured ? [`  --header "Authorization: Bearer $${API_KEY_ENV}"`] : []),
  ].join(" \\\n");
  const cursor = {
    mcpServers: {
      [key]: { url, ...(secured ? { headers: { Authorization: bearerFromEnv } } : {}) },
    },
  };
  const vscode = {
    ...(secured
      ? {
          inputs: [
            {
              type: "promptString",
              id: "mcphost-api-key",
              description: `API key for ${server.name} on MCP Host`,
              password: true,
            },
          ],
        }
      : {}),
    servers: {
      [key]: {
        type: "http",
        url,
        ...(secured ? { headers: { Authorization: `Bearer \${input:mcphost-api-key}` } } : {}),
      },
    },
  };
  const windsurf = {
    mcpServers: {
      [key]: { serverUrl: url, ...(secured ? { headers: { Authorization: bearerFromEnv } } : {}) },
    },
  };

  const typescript = `import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const transport = new StreamableHTTPClientTransport(new URL(${JSON.stringify(url)})${
    secured
      ? `, {
  requestInit: { headers: { Authorization: \`Bearer \${process.env.${API_KEY_ENV}}\` } },
}`
      : ""
  });
const client = new Client({ name: "my-app", version: "1.0.0" });
await client.connect(transport);
console.log(await client.listTools());
await client.close();
`;
  const python = `import asyncio${secured ? "\nimport os" : ""}

from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client


async def main():
${
  secured
    ? `    headers = {"Authorization": f"Bearer {os.environ['${API_KEY_ENV}']}"}
    async with streamablehttp_client(${JSON.stringify(url)}, headers=headers) as (read, write, _):`
    : `    async with streamablehttp_client(${JSON.stringify(url)}) as (read, write, _):`
}
        async with ClientSession(read, write) as session:
            await session.initialize()
            print(await session.list_tools())


asyncio.run(main())
`;

  return {
    url,
    transport: "streamable-http",
    sseUrl: sseUrlOf(publicUrl, server.slug),
    header: secured ? { name: "Authorization", value: `Bearer ${API_KEY_PLACEHOLDER}` } : null,
    clients: [
      {
        id: "claude-desktop",
        name: "Claude Desktop",
        format: "json",
        file: "claude_desktop_config.json",
        snippet: json(claudeDesktop),
      },
      { id: "claude-code", name: "Claude Code", format: "shell", snippet: claudeCode },
      {
        id: "cursor",
        name: "Cursor",
        format: "json",
        file: ".cursor/mcp.json",
        snippet: json(cursor),
      },
      {
        id: "vscode",
        name: "VS Code",
        format: "json",
        file: ".vscode/mcp.json",
        snippet: json(vscode),
      },
      {
        id: "windsurf",
        name: "Windsurf",
        format: "json",
        file: "~/.codeium/windsurf/mcp_config.json",
        snippet: json(windsurf),
      },
      { id: "typescript", name: "TypeScript SDK", format: "typescript", snippet: typescript },
      { id: "python", name: "Python SDK", format: "python", snippet: python },
    ],
  };
}
