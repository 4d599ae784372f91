/**
 * Captures the dashboard's main pages at desktop and phone widths into docs/screenshots/, for the
 * README and for reviewing the UI: `npm run screenshots`. It runs the real server (process
 * runtime), deploys @modelcontextprotocol/server-everything from the local npm cache, makes a few
 * MCP calls so logs, traces and metrics have something to show, then visits each page.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";
import { SESSION_COOKIE } from "../../server/src/http/middleware/authenticate.js";
import { type ApiClient, signUp } from "../../server/test/support/api-client.js";
import { processRuntime, referenceServerVersion } from "../../server/test/support/test-runtimes.js";
import { startTestServer } from "../../server/test/support/test-server.js";
import { buildWebApp, launchChromium } from "../test/support/browser.js";

const OUT = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));
const EVERYTHING = "@modelcontextprotocol/server-everything";

const VIEWPORTS = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 390, height: 844 },
} as const;

async function main() {
  await mkdir(OUT, { recursive: true });
  const web = await buildWebApp();
  const server = await startTestServer({
    webDir: web.dir,
    runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }),
  });
  const browser = await launchChromium();
  try {
    const api = server.client();
    await signUp(api, "ada@example.com");
    const serverId = await deployEverything(api);
    await makeTraffic(api, serverId);
    const pages: Array<[string, string]> = [
      ["servers", "/servers"],
      ["new-server", "/servers/new"],
      ["overview", `/servers/${serverId}`],
      ["connect", `/servers/${serverId}/connect`],
      ["logs", `/servers/${serverId}/logs`],
      ["playground", `/servers/${serverId}/playground?tool=echo`],
      ["capabilities", `/servers/${serverId}/capabilities`],
      ["traces", `/servers/${serverId}/traces`],
      ["metrics", `/servers/${serverId}/metrics`],
      ["files", `/servers/${serverId}/files`],
      ["settings", `/servers/${serverId}/settings`],
      ["profile", "/profile"],
      ["orgs", "/orgs"],
      ["admin", "/admin"],
    ];
    for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
      for (const scheme of ["light", "dark"] as const) {
        const context = await browser.newContext({ viewport, colorScheme: scheme });
        await signIn(context, server.url, api);
        const page = await context.newPage();
        // Dark mode for the pages people look at first and for the charts; light for all.
        const darkPages = new Set(["servers", "new-server", "overview", "metrics"]);
        const shots = scheme === "dark" ? pages.filter(([name]) => darkPages.has(name)) : pages;
        for (const [name, path] of shots) {
          await page.goto(server.url + path);
          await page.waitForLoadState("networkidle").catch(() => undefined);
          await page.waitForTimeout(700); // charts and live streams settle
          const file = `${OUT}${name}-${viewportName}${scheme === "dark" ? "-dark" : ""}.png`;
          await page.screenshot({ path: file, fullPage: viewportName === "desktop" });
          console.log(`wrote ${file}`);
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
    await web.remove();
  }
}

/** Hands the API client's session cookie to the browser, as if the reader had signed in. */
async function signIn(context: BrowserContext, url: string, api: ApiClient) {
  const name = SESSION_COOKIE;
  const value = api.cookie(name);
  if (!value) throw new Error(`no ${name} cookie after signing up`);
  await context.addCookies([{ name, value, url }]);
}

async function deployEverything(api: ApiClient): Promise<string> {
  const version = await referenceServerVersion(EVERYTHING);
  const created = await api.post("/api/servers", {
    name: "Everything",
    description: "The MCP reference server with every feature",
    source: { type: "npm", package: EVERYTHING, version },
    transport: "stdio",
    runtime: "process",
    env: { LOG_LEVEL: "info" },
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const res = await api.get(`/api/servers/${id}/capabilities`);
    if (res.body.discoveredAt && res.body.tools.length > 0) return id;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("server-everything did not come up within 90 s");
}

async function makeTraffic(api: ApiClient, serverId: string) {
  const calls = [
    { method: "tools/call", params: { name: "echo", arguments: { message: "hello" } } },
    { method: "tools/list" },
    { method: "tools/call", params: { name: "get-sum", arguments: { a: 2, b: 3 } } },
    { method: "resources/list" },
    { method: "tools/call", params: { name: "no-such-tool", arguments: {} } },
    { method: "prompts/list" },
  ];
  for (let round = 0; round < 3; round++) {
    for (const call of calls) await api.post(`/api/servers/${serverId}/invoke`, call);
  }
  await api.put(`/api/servers/${serverId}/files/reports/summary.csv`, "day,calls\nmon,12\n", {
    headers: { "content-type": "application/octet-stream" },
  });
}

await main();
