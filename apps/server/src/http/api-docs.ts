import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env.js";

/**
 * swagger-ui-dist's folder, found without loading the package: its main module evaluates the
 * browser bundle in Node, which kept 5.5 MiB in the heap for good (every garbage collection then
 * has more to mark; measured with a heap profile of the gateway under load).
 */
const SWAGGER_UI_DIR = dirname(
  createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"),
);

/** The only files of swagger-ui-dist we serve; nothing else under /api/docs maps to disk. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>MCP Host API reference</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

// A separate file rather than an inline script, so a strict Content-Security-Policy needs no exception.
const INIT = `window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#reference",
  deepLinking: true,
  withCredentials: true,
});`;

/**
 * Serves the OpenAPI 3.1 document generated from the routes, and a readable reference (Swagger UI,
 * served from the installed package so it works offline).
 */
export function mountApiDocs(
  app: OpenAPIHono<AppEnv>,
  info: { version: string; publicUrl: string },
) {
  app.openAPIRegistry.registerComponent("securitySchemes", "cookieAuth", {
    type: "apiKey",
    in: "cookie",
    name: "mcphost_session",
    description: "Browser session, set by /api/auth/login",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "Personal access token (mch_...), created at /api/tokens",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "MCP Host API",
      version: info.version,
      description:
        "Control-plane API of MCP Host. Errors are RFC 9457 problem+json with a stable `code`.",
    },
    servers: [{ url: info.publicUrl }],
  });
  app.get("/api/docs", (c) => c.html(PAGE));
  app.get("/api/docs/init.js", (c) =>
    c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/api/docs/:asset", async (c, next) => {
    const type = ASSETS[c.req.param("asset")];
    if (!type) return next();
    const body = await readFile(join(SWAGGER_UI_DIR, c.req.param("asset")));
    return c.body(body, 200, { "content-type": type, "cache-control": "public, max-age=86400" });
  });
}
