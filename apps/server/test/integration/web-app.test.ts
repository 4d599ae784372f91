import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

const INDEX = "<!doctype html><title>MCP Host</title><div id=root></div>";
const HASHED = "/assets/server-detail-page-C2qsoPb2.js";

let webDir: string;
let server: TestServer;

beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), "mcphost-webdir-"));
  await mkdir(join(webDir, "assets"));
  await writeFile(join(webDir, "index.html"), INDEX);
  await writeFile(join(webDir, HASHED), "export default 1;");
  await writeFile(join(webDir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  server = await startTestServer({ webDir });
});

afterAll(async () => {
  await server?.close();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${server.url}${path}`);

describe("serving the web app", () => {
  it("lets browsers keep hashed assets for a year without asking again", async () => {
    const res = await get(HASHED);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("answers every page's deep link with index.html, revalidated so a deploy shows at once", async () => {
    for (const path of ["/", "/servers/srv_123/logs", "/orgs/org_1?tab=members"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(INDEX);
      expect(res.headers.get("cache-control"), path).toBe("no-cache");
    }
  });

  it("revalidates unhashed files such as the favicon", async () => {
    const res = await get("/favicon.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers a missing asset with 404, not with the page", async () => {
    const res = await get("/assets/gone-Ab12Cd34.js");
    expect(res.status).toBe(404);
    expect(await res.text()).not.toBe(INDEX);
  });

  it("never answers API or MCP paths with the page", async () => {
    const api = await get("/api/no-such-thing");
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
    const mcp = await get("/mcp/no-such-server");
    expect(mcp.status).not.toBe(200);
    expect(await mcp.text()).not.toBe(INDEX);
  });
});
