import type { User } from "@mcphost/api-client";
import { useQueryClient } from "@tanstack/react-query";
import { Navigate, useLocation, useNavigate } from "react-router";
import { AuthForm, type AuthMode } from "./auth-form";
import { ME_KEY, useSession } from "./use-session";

/**
 * /login and /register. After signing in, goes back to the page that sent the reader here
 * (`state.from`), so a deep link opened while signed out lands where it pointed.
 */
export default function SignInPage({ mode }: { mode: AuthMode }) {
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/servers";

  if (session.data) return <Navigate to={from} replace />;

  async function onSignedIn(_user: User) {
    await client.invalidateQueries({ queryKey: ME_KEY });
    navigate(from, { replace: true });
  }

  return (
    <main className="narrow">
      <AuthForm
        key={mode}
        mode={mode}
        onSignedIn={onSignedIn}
        onSwitchMode={() =>
          navigate(mode === "sign-in" ? "/register" : "/login", { state: location.state })
        }
      />
    </main>
  );
}
