import { useState } from "react";
import type { User } from "./auth-api";
import { AuthForm, type AuthMode } from "./auth-form";

/** Shown without a session: sign in, or switch to creating an account. */
export function SignInView({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [mode, setMode] = useState<AuthMode>("sign-in");
  return (
    // A new key per mode starts each form empty, without the other mode's errors.
    <AuthForm
      key={mode}
      mode={mode}
      onSignedIn={onSignedIn}
      onSwitchMode={() => setMode(mode === "sign-in" ? "register" : "sign-in")}
    />
  );
}
