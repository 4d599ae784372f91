import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { StatusMessage } from "../../components/status-message";
import { api, fieldErrorsOf } from "../../lib/api";
import { useMe } from "../auth/use-session";

const FIELDS = ["currentPassword", "newPassword"] as const;

/**
 * Changes the password. The server signs out every other session and gives this browser a fresh
 * cookie, so the reader stays signed in here.
 */
export function ChangePasswordForm() {
  const headingId = useId();
  const me = useMe();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const change = useMutation({
    mutationFn: async (body: { currentPassword: string; newPassword: string }) =>
      api.POST("/api/me/password", { body }),
    onSuccess: () => {
      setCurrentPassword("");
      setNewPassword("");
    },
  });
  const fieldErrors = fieldErrorsOf(change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate({ currentPassword, newPassword });
  }

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Change password</h2>
      <form onSubmit={onSubmit} aria-busy={change.isPending} className="narrow-form">
        {/* Lets password managers tell which account the new password belongs to. */}
        <input
          type="email"
          name="username"
          autoComplete="username"
          value={me.email}
          readOnly
          hidden
        />
        <Field label="Current password" error={fieldErrors.currentPassword}>
          {(control) => (
            <input
              {...control}
              type="password"
              name="current-password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(event) => setCurrentPassword(event.target.value)}
            />
          )}
        </Field>
        <Field
          label="New password"
          error={fieldErrors.newPassword}
          hint="At least 8 characters. Your other sessions are signed out."
        >
          {(control) => (
            <input
              {...control}
              type="password"
              name="new-password"
              autoComplete="new-password"
              required
              value={newPassword}
              onChange={(event) => setNewPassword(event.target.value)}
            />
          )}
        </Field>
        <ErrorAlert error={change.error} shownFields={FIELDS} />
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? "Changing…" : "Change password"}
        </button>
      </form>
      <StatusMessage>
        {change.isSuccess
          ? "Password changed. Every other session was signed out; this one stays signed in."
          : null}
      </StatusMessage>
    </section>
  );
}
