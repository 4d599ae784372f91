/**
 * The servers the control-plane workload lists: `POST /api/servers` bodies that look like a real
 * user's, varied the way a real list is (several packages and versions, some with arguments,
 * variables and an HTTP transport, some remote with headers, a few public), all created with
 * `start: false` so nothing is installed or deployed. Deterministic: server `i` is the same in
 * every run, so runs list the same data.
 */

const PACKAGES = [
  "@modelcontextprotocol/server-filesystem",
  "@modelcontextprotocol/server-github",
  "@modelcontextprotocol/server-postgres",
  "@modelcontextprotocol/server-everything",
  "@modelcontextprotocol/server-memory",
  "@playwright/mcp",
  "mcp-server-kubernetes",
  "@notionhq/notion-mcp-server",
] as const;

const VERSIONS = ["latest", "1.4.2", "^2.0.0", "2026.8.31"] as const;

const ENV_NAMES = ["API_TOKEN", "BASE_URL", "LOG_LEVEL", "DATABASE_URL", "WORKSPACE"] as const;

const TEAMS = ["platform", "data", "support", "growth", "infra", "research"] as const;

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/** The body that creates server `i` (0-based): a fifth remote, the rest npm. */
export function serverBody(i: number): Record<string, unknown> {
  const team = pick(TEAMS, i);
  const env = Object.fromEntries(
    ENV_NAMES.slice(0, i % 4).map((name) => [name, `${name.toLowerCase()}-${i}`]),
  );
  const common = {
    name: `${team} tools ${i + 1}`,
    description:
      i % 3 === 0 ? "" : `MCP tools for the ${team} team: search, tickets and dashboards.`,
    env,
    public: i % 10 === 0,
    start: false,
  };
  if (i % 5 === 4) {
    return {
      ...common,
      // A documentation address (TEST-NET-3): public, so a user may use it, and no DNS lookup.
      source: {
        type: "remote",
        url: `https://203.0.113.${(i % 250) + 1}/mcp`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax users write
        headers: { authorization: "Bearer ${API_TOKEN}", "x-team": team },
      },
    };
  }
  const pkg = pick(PACKAGES, i);
  return {
    ...common,
    source: {
      type: "npm",
      package: pkg,
      version: pick(VERSIONS, i >> 3),
      ...(i % 2 === 0 ? { args: ["--root", `/srv/${team}`] } : {}),
    },
    transport: i % 7 === 0 ? { type: "http", port: 3000 + (i % 100), path: "/mcp" } : "stdio",
    // Explicit, so the data does not depend on whether this machine has Docker.
    runtime: "process",
    ...(i % 6 === 1 ? { limits: { memoryMb: 1024, cpus: 1 } } : {}),
  };
}
