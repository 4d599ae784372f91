import { useId, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { ViewHeading } from "../../components/view-heading";
import { ApiError } from "../../lib/http";
import { logout, type User } from "./auth-api";

/** The signed-in user's account, and the way out. */
export function AccountView({ user, onSignedOut }: { user: User; onSignedOut: () => void }) {
  const headingId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function signOut() {
    setPending(true);
    setError(null);
    try {
      await logout();
      onSignedOut();
    } catch (err) {
      // An expired session is as good as signed out.
      if (err instanceof ApiError && err.status === 401) return onSignedOut();
      setError(err);
      setPending(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className="panel">
      <ViewHeading id={headingId}>Signed in</ViewHeading>
      <dl className="details">
        <div>
          <dt>Email</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{user.role}</dd>
        </div>
        <div>
          <dt>Server quota</dt>
          <dd>
            {user.serverQuota} {user.serverQuota === 1 ? "server" : "servers"}
          </dd>
        </div>
      </dl>
      <ErrorAlert error={error} />
      <button type="button" onClick={signOut} disabled={pending}>
        Sign out
      </button>
    </section>
  );
}
