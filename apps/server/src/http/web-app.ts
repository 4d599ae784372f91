import { existsSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import type { AppEnv } from "./app-env.js";

/** Paths owned by the server; the single-page app's fallback never answers for them. */
const SERVER_PATHS = /^\/(api|mcp|metrics|healthz|readyz)(\/|$)/;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>MCP Host</title>
<p>The web app is not built. Run <code>npm run build</code> (or use <code>npm start</code>, which builds first).</p>`;

/**
 * Vite names every file under /assets after a hash of its content, so a given URL never changes
 * content: browsers may keep it for a year without asking again. Everything else (index.html, which
 * names the current hashes, and files such as the favicon) is revalidated on every load, so a
 * deploy is picked up at once.
 */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

/** Serves the built web app (apps/web/dist) with index.html for client-side routes. */
export function mountWebApp(app: Hono<AppEnv>, webDir: string) {
  const index = join(webDir, "index.html");
  const built = existsSync(index);
  const isAppPath = (path: string) => !SERVER_PATHS.test(path);

  if (built) {
    const assets = serveStatic({
      root: webDir,
      onFound: (_path, c) => {
        c.header("Cache-Control", HASHED_ASSET.test(c.req.path) ? IMMUTABLE : REVALIDATE);
      },
    });
    app.use("*", async (c, next) => (isAppPath(c.req.path) ? assets(c, next) : next()));
  }
  app.get("*", async (c, next) => {
    if (!isAppPath(c.req.path)) return next();
    if (!built) return c.html(NOT_BUILT, 200);
    // Unknown asset files are real 404s; anything else is a client-side route.
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return next();
    return serveStatic({
      path: index,
      onFound: (_path, c) => c.header("Cache-Control", REVALIDATE),
    })(c, next);
  });
}
