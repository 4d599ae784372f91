import { useQuery } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import { Link, NavLink, Outlet } from "react-router";
import { logout } from "../features/auth/auth-api";
import { useMe, useSignedOut } from "../features/auth/use-session";
import { useOwnerScope } from "../features/orgs/owner-scope";
import { api, bodyOf } from "../lib/api";
import { type ThemeChoice, useTheme } from "../lib/theme";
import { Loading } from "./states";

/** The signed-in frame: navigation, whose servers are shown, theme, sign-out; pages below. */
export function AppShell() {
  const me = useMe();
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/servers" className="brand">
          MCP Host
        </Link>
        <button
          type="button"
          className="secondary menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <div id="main-nav" className={`header-nav ${menuOpen ? "open" : ""}`}>
          <nav aria-label="Main">
            <ul>
              <li>
                <NavLink to="/servers">Servers</NavLink>
              </li>
              <li>
                <NavLink to="/orgs">Organizations</NavLink>
              </li>
              {me.role === "admin" ? (
                <li>
                  <NavLink to="/admin">Admin</NavLink>
                </li>
              ) : null}
              <li>
                <NavLink to="/profile">Profile</NavLink>
              </li>
              <li>
                <a href="/api/docs">API reference</a>
              </li>
            </ul>
          </nav>
          <ScopeSwitcher />
          <ThemeSwitcher />
          <SignOutButton />
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}

function ScopeSwitcher() {
  const { scope, setScope } = useOwnerScope();
  const orgs = useQuery({
    queryKey: ["orgs"],
    queryFn: async () => (await bodyOf(api.GET("/api/orgs"))).items,
  });
  const value = scope.type === "org" ? scope.orgId : "";
  return (
    <label className="inline-field">
      <span>Workspace</span>
      <select
        value={value}
        onChange={(event) =>
          setScope(
            event.target.value ? { type: "org", orgId: event.target.value } : { type: "personal" },
          )
        }
      >
        <option value="">Personal</option>
        {(orgs.data ?? []).map((org) => (
          <option key={org.id} value={org.id}>
            {org.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function ThemeSwitcher() {
  const [theme, setTheme] = useTheme();
  return (
    <label className="inline-field">
      <span>Theme</span>
      <select value={theme} onChange={(event) => setTheme(event.target.value as ThemeChoice)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

function SignOutButton() {
  const signedOut = useSignedOut();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        // An expired session is as good as signed out, so a failure here still signs out.
        await logout().catch(() => undefined);
        signedOut();
      }}
    >
      Sign out
    </button>
  );
}
