import type { components, Scope } from "@mcphost/api-client";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { api, bodyOf, fieldErrorsOf } from "../../lib/api";
import { useMe } from "../auth/use-session";
import { grantableScopes, SCOPE_HELP } from "./scopes";

export type CreatedToken = components["schemas"]["CreatedAccessToken"];

const FIELDS = ["name", "scopes", "expiresInDays"] as const;
/** A token that never expires is allowed, but a leaked one then works forever: default to 90. */
const DEFAULT_DAYS = "90";

/** Name, scopes and lifetime of a new token. The form empties only once the token exists. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const headingId = useId();
  const scopesErrorId = useId();
  const me = useMe();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [days, setDays] = useState(DEFAULT_DAYS);
  const create = useMutation({
    mutationFn: async (body: { name: string; scopes: Scope[]; expiresInDays?: number }) =>
      await bodyOf(api.POST("/api/tokens", { body })),
    onSuccess: (token) => {
      setName("");
      setScopes([]);
      setDays(DEFAULT_DAYS);
      onCreated(token);
    },
  });
  const rawErrors = fieldErrorsOf(create.error);
  const fieldErrors = scopeErrorsMerged(rawErrors);
  // `scopes.1` and the like are shown by the fieldset, so the alert need not repeat them.
  const shownFields = [...FIELDS, ...Object.keys(rawErrors).filter((f) => f.startsWith("scopes"))];

  function toggle(scope: Scope, checked: boolean) {
    setScopes((current) => (checked ? [...current, scope] : current.filter((s) => s !== scope)));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = days.trim();
    create.mutate({
      name,
      scopes,
      ...(trimmed ? { expiresInDays: Number(trimmed) } : {}),
    });
  }

  return (
    <form
      onSubmit={onSubmit}
      aria-busy={create.isPending}
      aria-labelledby={headingId}
      className="create-token"
    >
      <h3 id={headingId}>Create a token</h3>
      <Field label="Token name" error={fieldErrors.name} hint="What it is for, e.g. “laptop CLI”.">
        {(control) => (
          <input
            {...control}
            name="token-name"
            required
            maxLength={100}
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <fieldset aria-describedby={fieldErrors.scopes ? scopesErrorId : undefined}>
        <legend>Scopes</legend>
        <p className="field-hint">Give the token only what the tool needs.</p>
        <ul className="scope-list">
          {grantableScopes(me.scopes).map((scope) => (
            <li key={scope}>
              <label>
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  checked={scopes.includes(scope)}
                  onChange={(event) => toggle(scope, event.target.checked)}
                />
                <span>
                  <code>{scope}</code> <span className="muted">{SCOPE_HELP[scope]}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        {fieldErrors.scopes ? (
          <p id={scopesErrorId} className="field-error">
            <span aria-hidden="true">⚠ </span>
            {fieldErrors.scopes}
          </p>
        ) : null}
      </fieldset>
      <Field
        label="Expires after (days)"
        error={fieldErrors.expiresInDays}
        hint="1 to 3650. Leave empty for a token that never expires."
      >
        {(control) => (
          <input
            {...control}
            type="number"
            name="expires-in-days"
            min={1}
            max={3650}
            step={1}
            inputMode="numeric"
            className="short-input"
            value={days}
            onChange={(event) => setDays(event.target.value)}
          />
        )}
      </Field>
      <ErrorAlert error={create.error} shownFields={shownFields} />
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}

/** The API names a bad scope by its index (`scopes.1`); the form shows them all by the fieldset. */
function scopeErrorsMerged(errors: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [field, detail] of Object.entries(errors)) {
    const key = field.startsWith("scopes") ? "scopes" : field;
    result[key] = result[key] ? `${result[key]}; ${detail}` : detail;
  }
  return result;
}
