import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

/** Where `npm run dev -w apps/server` listens. */
const API_SERVER = "http://localhost:7070";
const DEV_PORT = 5173;

/**
 * The server accepts cookie-authenticated writes only from its own origin (its CSRF guard). Pages
 * served by this dev server post with the dev server's origin, so those requests are presented as
 * the API server's own; any other Origin passes through unchanged and is still refused.
 */
const DEV_ORIGINS = new Set([`http://localhost:${DEV_PORT}`, `http://127.0.0.1:${DEV_PORT}`]);

const toApiServer: ProxyOptions = {
  target: API_SERVER,
  configure(proxy) {
    proxy.on("proxyReq", (proxyReq, req) => {
      const origin = req.headers.origin;
      if (origin && DEV_ORIGINS.has(origin)) proxyReq.setHeader("origin", API_SERVER);
    });
  },
};

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist" },
  server: {
    port: DEV_PORT,
    strictPort: true,
    proxy: {
      "/api": toApiServer,
      "/healthz": toApiServer,
      "/readyz": toApiServer,
      "/metrics": toApiServer,
    },
  },
});
