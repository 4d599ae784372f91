import { ApiError, type User } from "@mcphost/api-client";
import { type FormEvent, useId, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { TextField } from "../../components/text-field";
import { ViewHeading } from "../../components/view-heading";
import { login, register } from "./auth-api";

export type AuthMode = "sign-in" | "register";

const MODES = {
  "sign-in": {
    title: "Sign in",
    submit: login,
    passwordAutoComplete: "current-password",
    switchPrompt: "New to MCP Host?",
    switchLabel: "Create an account",
  },
  register: {
    title: "Create account",
    submit: register,
    passwordAutoComplete: "new-password",
    switchPrompt: "Already have an account?",
    switchLabel: "Sign in instead",
  },
} as const;

const FIELDS = ["email", "password"] as const;

interface AuthFormProps {
  mode: AuthMode;
  onSignedIn: (user: User) => void;
  onSwitchMode: () => void;
}

/** Email and password, either to sign in or to create an account. */
export function AuthForm({ mode, onSignedIn, onSwitchMode }: AuthFormProps) {
  const copy = MODES[mode];
  const headingId = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldErrors = fieldErrorsOf(error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      onSignedIn(await copy.submit({ email, password }));
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className="panel">
      <ViewHeading id={headingId}>{copy.title}</ViewHeading>
      <form onSubmit={onSubmit} aria-busy={pending}>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={setEmail}
          error={fieldErrors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete={copy.passwordAutoComplete}
          required
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
        />
        <ErrorAlert error={error} shownFields={FIELDS} />
        <button type="submit" disabled={pending}>
          {copy.title}
        </button>
      </form>
      <p className="switch-mode">
        {copy.switchPrompt}{" "}
        <button type="button" className="link-button" onClick={onSwitchMode}>
          {copy.switchLabel}
        </button>
      </p>
    </section>
  );
}

/** The server's per-field messages for our inputs, several for one field joined into one line. */
function fieldErrorsOf(error: unknown): Partial<Record<(typeof FIELDS)[number], string>> {
  if (!(error instanceof ApiError)) return {};
  const result: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const { field, detail } of error.problem.errors ?? []) {
    if (field !== "email" && field !== "password") continue;
    result[field] = result[field] ? `${result[field]}; ${detail}` : detail;
  }
  return result;
}
