import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { build } from "vite";

export const CHROMIUM = "/usr/bin/chromium";
const WEB_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Why browser tests cannot run here, or "" when they can. Outside CI a missing browser skips them;
 * under CI=true they run, and the launch fails loudly instead.
 */
export const browserSkipReason =
  process.env.CI !== "true" && !existsSync(CHROMIUM)
    ? `${CHROMIUM} is not installed (apt-get install chromium)`
    : "";

/**
 * Debian's Chromium, headless. The flags keep it from reaching out to Google's services, which
 * this machine's closed network refuses (many connections at once, slowing every test).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Builds the web app for production into a fresh temporary folder; `remove` deletes it. */
export async function buildWebApp(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "mcphost-web-"));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      root: WEB_ROOT,
      configFile: join(WEB_ROOT, "vite.config.ts"),
      mode: "production",
      build: { outDir: dir, emptyOutDir: true },
      logLevel: "silent",
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
