import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/support/test-server.js";
import { browserSkipReason, buildWebApp, launchChromium } from "./support/browser.js";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse battery";

describe.skipIf(browserSkipReason)(
  `signing up, in and out, tokens and organizations in a browser${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ""}`,
  () => {
    let web: Awaited<ReturnType<typeof buildWebApp>>;
    let server: TestServer;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      web = await buildWebApp();
      server = await startTestServer({ webDir: web.dir });
      browser = await launchChromium();
      const context = await browser.newContext();
      context.setDefaultTimeout(5_000);
      page = await context.newPage();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await web?.remove();
    });

    const heading = (name: string) => page.getByRole("heading", { name, exact: true });
    const button = (name: string) => page.getByRole("button", { name, exact: true });
    const email = () => page.getByLabel("Email", { exact: true });
    const password = () => page.getByLabel("Password", { exact: true });
    const path = () => new URL(page.url()).pathname;
    // Playwright's innerText: the rendered text a user reads, with spacing between block elements.
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright method, not the DOM property
    const textOf = (locator: Locator) => expect.poll(() => locator.innerText());

    async function signIn(address: string) {
      await email().fill(address);
      await password().fill(PASSWORD);
      await button("Sign in").click();
    }

    async function expectProfileOf(address: string, role: "admin" | "user") {
      await heading("Profile").waitFor();
      const account = page.getByRole("region", { name: "Account" });
      await textOf(account).toContain(address);
      await textOf(account).toMatch(new RegExp(`Role\\s+${role}\\b`));
      await textOf(account).toMatch(/Server quota\s+0 of \d+ servers/);
    }

    it("creates the first account as admin, keeps the session across reloads, and signs out and back in where it was", async () => {
      await page.goto(server.url);
      await heading("Sign in").waitFor();

      await button("Create an account").click();
      await heading("Create account").waitFor();
      await email().fill(EMAIL);
      await password().fill(PASSWORD);
      await button("Create account").click();
      await page.getByRole("heading", { level: 1, name: "Servers" }).waitFor();
      expect(await page.getByRole("link", { name: "API reference" }).getAttribute("href")).toBe(
        "/api/docs",
      );

      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Profile" })
        .click();
      await expectProfileOf(EMAIL, "admin");
      await page.reload();
      await expectProfileOf(EMAIL, "admin");

      await button("Sign out").click();
      await heading("Sign in").waitFor();
      expect(path()).toBe("/login");

      await email().fill(EMAIL);
      await password().fill("not my password");
      await button("Sign in").click();
      // The message belongs to the form, not to some banner elsewhere on the page.
      await textOf(page.locator("form").getByRole("alert")).toContain(
        "Email or password is incorrect",
      );
      await heading("Sign in").waitFor();

      // Signing out from the profile remembered it: signing in goes back there.
      await signIn(EMAIL);
      await expectProfileOf(EMAIL, "admin");

      // So does a deep link opened while signed out.
      await button("Sign out").click();
      await heading("Sign in").waitFor();
      await page.goto(`${server.url}/profile`);
      await heading("Sign in").waitFor();
      await signIn(EMAIL);
      await expectProfileOf(EMAIL, "admin");
      expect(path()).toBe("/profile");
    });

    it("shows the server's complaint about a short password next to the password field", async () => {
      await button("Sign out").click();
      await button("Create an account").click();
      // The router switches views in a transition: fill the new form, not the one leaving.
      await heading("Create account").waitFor();
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

    it("creates a personal access token, shows it once, and it works with the scopes ticked", async () => {
      // The sign-in page still remembers that the profile sent the reader there.
      await button("Sign in instead").click();
      await heading("Sign in").waitFor();
      await signIn(EMAIL);
      await heading("Personal access tokens").waitFor();

      await page.getByLabel("Token name").fill("laptop CLI");
      await page.getByRole("checkbox", { name: /^account:read\b/ }).check();
      await page.getByRole("checkbox", { name: /^mcp\b/ }).check();
      await button("Create token").click();

      const shown = page.getByRole("region", { name: "Your new token “laptop CLI”" });
      await textOf(shown).toContain("it will not be shown again");
      // biome-ignore lint/performance/useDomNodeTextContent: a Playwright method, not the DOM property
      const token = await shown.locator("code").innerText();
      expect(token).toMatch(/^mch_[0-9a-z]{40}$/);
      await textOf(page.getByRole("table")).toContain("laptop CLI");

      const me = await fetch(`${server.url}/api/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { scopes: string[] }).scopes).toEqual(["account:read", "mcp"]);

      // Once: after a reload the list still names the token, but its value is gone.
      await page.reload();
      await heading("Personal access tokens").waitFor();
      await textOf(page.getByRole("table")).toContain("laptop CLI");
      expect(await page.getByText(token).count()).toBe(0);
    });

    it("creates an organization, which the header's Workspace switcher then offers", async () => {
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Organizations" })
        .click();
      await heading("Organizations").waitFor();
      await page.getByLabel("Organization name").fill("Acme Research");
      await button("Create organization").click();

      await textOf(page.getByRole("status").filter({ hasText: "Created" })).toContain(
        "Created Acme Research",
      );
      await textOf(page.getByRole("region", { name: "Your organizations" })).toMatch(
        /Acme Research\s+acme-research\s+owner/,
      );
      const workspace = page.getByLabel("Workspace");
      await expect
        .poll(() => workspace.locator("option").allTextContents())
        .toEqual(["Personal", "Acme Research"]);
    });
  },
);
