import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  processRuntime,
  referenceServerVersion,
  skipWithoutBubblewrap,
} from "../../server/test/support/test-runtimes.js";
import { startTestServer, type TestServer } from "../../server/test/support/test-server.js";
import { browserSkipReason, buildWebApp, launchChromium } from "./support/browser.js";

/**
 * The path a new user takes in the browser, against the real server and the process runtime:
 * register, deploy @modelcontextprotocol/server-everything from the form, watch it reach running
 * without reloading, watch its logs stream, call `echo` in the playground, find the call in the
 * traces, copy a client config, then stop and delete the server. Each step builds on the last.
 */
const EVERYTHING = "@modelcontextprotocol/server-everything";
const skipReason = browserSkipReason || skipWithoutBubblewrap || "";

describe.skipIf(skipReason)(
  `a new user's first server in the dashboard${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    let web: Awaited<ReturnType<typeof buildWebApp>>;
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let serverPath: string;

    beforeAll(async () => {
      web = await buildWebApp();
      server = await startTestServer({
        webDir: web.dir,
        runtimesFor: (dataDir) => ({ process: processRuntime(dataDir) }),
      });
      browser = await launchChromium();
      const context = await browser.newContext();
      await context.grantPermissions(["clipboard-read", "clipboard-write"], {
        origin: server.url,
      });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await web?.remove();
    });

    const heading = (name: string) => page.getByRole("heading", { name, exact: true });
    const button = (name: string) => page.getByRole("button", { name, exact: true });
    const link = (name: string) => page.getByRole("link", { name, exact: true });
    const statusOnPage = () => page.locator(".server-header [data-status]");
    // Playwright's innerText: the rendered text a user reads, with spacing between block elements.
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright method, not the DOM property
    const rendered = (locator: Locator) => locator.innerText();
    const textOf = (locator: Locator, timeout = 10_000) =>
      expect.poll(() => rendered(locator), { timeout });

    it("registers and is invited to deploy a first server", async () => {
      await page.goto(server.url);
      await heading("Sign in").waitFor();
      await button("Create an account").click();
      // The router switches views in a transition: fill the new form, not the one leaving.
      await heading("Create account").waitFor();
      await page.getByLabel("Email", { exact: true }).fill("grace@example.com");
      await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
      await button("Create account").click();

      await heading("Servers").waitFor();
      await textOf(page.locator(".empty-state")).toContain("No servers yet");
    });

    it("deploys server-everything from the form and sees it reach running without reloading", async () => {
      await link("New server").click();
      await heading("New server").waitFor();
      await page.getByLabel("Package", { exact: true }).fill(EVERYTHING);
      await page
        .getByLabel("Version", { exact: true })
        .fill(await referenceServerVersion(EVERYTHING));
      await page.getByLabel("Name", { exact: true }).fill("Everything");
      await button("Create server").click();

      await page.waitForURL(/\/servers\/srv_[^/]+$/);
      serverPath = new URL(page.url()).pathname;
      await heading("Everything").waitFor();
      // The first key is shown once, right after creation.
      const key = page.getByRole("region", { name: "Your server's API key" });
      await textOf(key).toMatch(/mhk_[0-9a-z]{40}/);
      await button("Done").click();
      await key.waitFor({ state: "detached" });
      // The badge moves through the deploy by itself: no reload, no polling.
      await textOf(statusOnPage(), 90_000).toContain("running");
      await textOf(page.getByRole("region", { name: "Deploy steps" })).toMatch(/Running/);

      // The list shows it running too, over its own live stream.
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Servers" })
        .click();
      const card = page.getByRole("article", { name: "Everything" });
      await textOf(card).toContain("running");
      await card.getByRole("link", { name: "Everything" }).click();
      await heading("Everything").waitFor();
    }, 120_000);

    it("shows the logs, and new lines stream in while the tab is open", async () => {
      await link("Logs").click();
      const log = page.getByRole("log");
      await textOf(log).toMatch(/\S/);
      const before = await rendered(log);

      // A restart writes lifecycle lines; they arrive without reloading the page.
      await button("Restart").click();
      await expect
        .poll(async () => (await rendered(log)).length, { timeout: 30_000 })
        .toBeGreaterThan(before.length);
      await textOf(statusOnPage(), 60_000).toContain("running");
    }, 90_000);

    it("calls echo in the playground and sees the result and its latency", async () => {
      await link("Playground").click();
      await page.getByRole("radio", { name: /^echo\b/ }).check();
      await page.getByLabel("message (required)").fill("hello from the browser");
      await button("Run").click();

      const result = page.getByRole("region", { name: /tools\/call\s+echo/ }).first();
      await textOf(result, 30_000).toContain("Echo: hello from the browser");
      await textOf(result).toMatch(/\d+(\.\d+)? (µs|ms|s)\b/);
    }, 60_000);

    it("finds the call in the traces", async () => {
      await link("Traces").click();
      const row = page.getByRole("button", { name: /tools\/call.*echo/ }).first();
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      const drawer = page.getByRole("dialog");
      await textOf(drawer).toContain("hello from the browser");
      await page.keyboard.press("Escape");
      await drawer.waitFor({ state: "hidden" });
    });

    it("copies a client config that points at the server's URL", async () => {
      await link("Connect").click();
      await page.getByRole("tab", { name: "Claude Code" }).click();
      await page.getByRole("tabpanel").getByRole("button", { name: "Copy" }).click();
      const copied = await page.evaluate<string>("navigator.clipboard.readText()");
      expect(copied).toMatch(
        /^claude mcp add --transport http everything https?:\/\/\S+\/mcp\/everything\b/,
      );
      expect(copied).toContain('--header "Authorization: Bearer $MCPHOST_API_KEY"');
    });

    it("stops the server, then deletes it after confirming", async () => {
      await link("Overview").click();
      await button("Stop").click();
      await textOf(statusOnPage(), 30_000).toContain("stopped");

      await button("Delete").click();
      const dialog = page.getByRole("dialog", { name: "Delete Everything?" });
      await dialog.getByRole("button", { name: "Delete server" }).click();
      await heading("Servers").waitFor();
      await textOf(page.locator(".empty-state"), 30_000).toContain("No servers yet");

      // Removal finishes in the background; from then on the server's own page says it is gone.
      await expect
        .poll(
          async () => {
            await page.goto(server.url + serverPath);
            await page.getByRole("heading", { level: 1 }).waitFor();
            return rendered(page.getByRole("heading", { level: 1 }));
          },
          { timeout: 30_000 },
        )
        .toBe("Server not found");
    }, 60_000);
  },
);
