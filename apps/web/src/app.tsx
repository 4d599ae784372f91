import { useEffect, useState } from "react";
import { ErrorAlert } from "./components/error-alert";
import { AccountView } from "./features/auth/account-view";
import { fetchMe, type User } from "./features/auth/auth-api";
import { SignInView } from "./features/auth/sign-in-view";

type Session =
  | { status: "loading" }
  | { status: "signed-out" }
  | { status: "signed-in"; user: User }
  | { status: "unavailable"; error: unknown };

export function App() {
  const [session, setSession] = useState<Session>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the trigger for a retry
  useEffect(() => {
    let current = true;
    fetchMe().then(
      (me) =>
        current && setSession(me ? { status: "signed-in", user: me } : { status: "signed-out" }),
      (error: unknown) => current && setSession({ status: "unavailable", error }),
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  return (
    <>
      <header className="app-header">
        <h1>MCP Host</h1>
        <nav aria-label="Main">
          <a href="/api/docs">API reference</a>
        </nav>
      </header>
      <main>
        {session.status === "loading" ? <p role="status">Loading…</p> : null}
        {session.status === "unavailable" ? (
          <section className="panel">
            <ErrorAlert error={session.error} />
            <button
              type="button"
              onClick={() => {
                setSession({ status: "loading" });
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </button>
          </section>
        ) : null}
        {session.status === "signed-out" ? (
          <SignInView onSignedIn={(user) => setSession({ status: "signed-in", user })} />
        ) : null}
        {session.status === "signed-in" ? (
          <AccountView
            user={session.user}
            onSignedOut={() => setSession({ status: "signed-out" })}
          />
        ) : null}
      </main>
    </>
  );
}
