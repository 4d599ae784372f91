import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/support/test-server.js";

const CHROMIUM = "/usr/bin/chromium";
const WEB_ROOT = fileURLToPath(new URL("..", import.meta.url));

// Outside CI a missing browser skips this file; in CI the launch below fails loudly instead.
const skipReason =
  process.env.CI !== "true" && !existsSync(CHROMIUM)
    ? `${CHROMIUM} is not installed (apt-get install chromium)`
    : "";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse battery";

describe.skipIf(skipReason)(
  `signing up, in and out in a browser${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    let webDir: string;
    let server: TestServer;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      webDir = await mkdtemp(join(tmpdir(), "mcphost-web-"));
      await buildWebApp(webDir);
      server = await startTestServer({ webDir });
      browser = await chromium.launch({
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
      const context = await browser.newContext();
      context.setDefaultTimeout(5_000);
      page = await context.newPage();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (webDir) await rm(webDir, { recursive: true, force: true });
    });

    const heading = (name: string) => page.getByRole("heading", { name, exact: true });
    const button = (name: string) => page.getByRole("button", { name, exact: true });
    const email = () => page.getByLabel("Email", { exact: true });
    const password = () => page.getByLabel("Password", { exact: true });
    // Playwright's innerText: the rendered text a user reads, with spacing between block elements.
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright method, not the DOM property
    const textOf = (locator: Locator) => expect.poll(() => locator.innerText());

    async function expectSignedInAs(address: string, role: "admin" | "user") {
      await heading("Signed in").waitFor();
      const account = page.getByRole("region", { name: "Signed in" });
      await textOf(account).toContain(address);
      await textOf(account).toMatch(new RegExp(`Role\\s+${role}\\b`));
      await textOf(account).toMatch(/Server quota\s+\d+ servers?/);
    }

    it("creates the first account as admin, keeps the session across reloads, and signs out and in", async () => {
      await page.goto(server.url);
      await heading("Sign in").waitFor();
      expect(await page.getByRole("link", { name: "API reference" }).getAttribute("href")).toBe(
        "/api/docs",
      );

      await button("Create an account").click();
      await heading("Create account").waitFor();
      await email().fill(EMAIL);
      await password().fill(PASSWORD);
      await button("Create account").click();
      await expectSignedInAs(EMAIL, "admin");

      await page.reload();
      await expectSignedInAs(EMAIL, "admin");

      await button("Sign out").click();
      await heading("Sign in").waitFor();

      await email().fill(EMAIL);
      await password().fill("not my password");
      await button("Sign in").click();
      await textOf(page.getByRole("alert")).toContain("Email or password is incorrect");
      await heading("Sign in").waitFor();

      await password().fill(PASSWORD);
      await button("Sign in").click();
      await expectSignedInAs(EMAIL, "admin");
    });

    it("shows the server's complaint about a short password next to the password field", async () => {
      await button("Sign out").click();
      await button("Create an account").click();
      await email().fill("grace@example.com");
      await password().fill("abc");
      await button("Create account").click();

      await expect.poll(() => password().getAttribute("aria-invalid")).toBe("true");
      const describedBy = await password().getAttribute("aria-describedby");
      expect(describedBy).toBeTruthy();
      await textOf(page.locator(`[id="${describedBy}"]`)).toBe(
        "Password must be at least 8 characters",
      );
      await textOf(page.getByRole("alert")).toContain("The request body is invalid");
      await heading("Create account").waitFor();
    });
  },
);

/**
 * Builds the web app from source as `npm run build` does. Vitest sets NODE_ENV=test, under which
 * Vite would bundle React's development build, so production is set for the duration.
 */
async function buildWebApp(outDir: string) {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      root: WEB_ROOT,
      configFile: join(WEB_ROOT, "vite.config.ts"),
      mode: "production",
      build: { outDir, emptyOutDir: true },
      logLevel: "silent",
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
