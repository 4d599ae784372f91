import { ApiError, type Server, type UpdateServer } from "@mcphost/api-client";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { api, bodyOf } from "../../lib/api";
import { useMe } from "../auth/use-session";
import { CurrentEnv, KeyValueRows } from "../servers/env-rows";
import { attentionMessage, useFocusFirstInvalid } from "../servers/form-controls";
import { GatewayFields } from "../servers/gateway-fields";
import { LimitsFields } from "../servers/limits-fields";
import {
  type FormErrors,
  isFormKey,
  placeApiErrors,
  validateServerForm,
} from "../servers/server-form-validation";
import {
  type ServerFormValues,
  type SourceType,
  serverToForm,
  toUpdateBody,
} from "../servers/server-form-values";
import { useStoreServer } from "../servers/server-queries";
import { SourceFields } from "../servers/source-fields";
import { TransportFields } from "../servers/transport-fields";
import { DangerZone } from "./danger-zone";
import { useServerTab } from "./server-outlet";
import "../servers/servers.css";

/** Fields only a new server has: the API refuses them in a change, so the form never shows them. */
const CREATE_ONLY = new Set(["slug", "orgId", "runtime"]);
const rendered = (key: string) =>
  (isFormKey(key) && !CREATE_ONLY.has(key)) || key.startsWith("envEdit.");

/**
 * /servers/:serverId/settings: change what the server runs and how. Only the fields that differ
 * from the saved server are sent, so an untouched section never marks it for redeploy. The form
 * keeps what the reader typed while the server's status moves on underneath it; it reloads from
 * the server only after a save.
 */
export default function SettingsTab() {
  const { server } = useServerTab();
  // Another server's settings start from that server: the router would otherwise keep this state.
  return <SettingsForm key={server.id} server={server} />;
}

function SettingsForm({ server }: { server: Server }) {
  const me = useMe();
  const store = useStoreServer();
  // What the form was loaded from: changes are measured against it, not against live updates.
  const [baseline, setBaseline] = useState<Server>(server);
  const [values, setValues] = useState<ServerFormValues>(() => serverToForm(server));
  const [errors, setErrors] = useState<FormErrors>({});
  const [shownFields, setShownFields] = useState<string[]>([]);
  const [checking, setChecking] = useState(false);
  const [status, setStatus] = useState("");
  const [justSaved, setJustSaved] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const focusFirstInvalid = useFocusFirstInvalid(form);

  const save = useMutation({
    mutationFn: async (body: UpdateServer) =>
      await bodyOf(
        api.PATCH("/api/servers/{serverId}", {
          params: { path: { serverId: server.id } },
          body,
        }),
      ),
    onSuccess: (updated) => {
      store(updated);
      setBaseline(updated);
      setValues(serverToForm(updated));
      setErrors({});
      setChecking(false);
      setJustSaved(true);
      // With a redeploy needed, the notice under the buttons says "Saved." along with it.
      setStatus(updated.redeployNeeded ? "" : "Saved.");
    },
    onError: (error) => {
      const fieldErrors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
      const placed = placeApiErrors(fieldErrors, values, rendered);
      setErrors(placed.errors);
      setShownFields(placed.shown);
      if (placed.shown.length > 0) focusFirstInvalid();
    },
  });

  function change(next: ServerFormValues) {
    setValues(next);
    setStatus("");
    setJustSaved(false);
    if (checking) {
      setErrors(validateServerForm(next));
      setShownFields([]);
    }
  }
  const set = (patch: Partial<ServerFormValues>) => change({ ...values, ...patch });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.reset();
    setShownFields([]);
    const found = validateServerForm(values);
    setErrors(found);
    setChecking(true);
    if (Object.keys(found).length > 0) {
      setStatus(attentionMessage(Object.keys(found).length));
      focusFirstInvalid();
      return;
    }
    const body = toUpdateBody(values, baseline);
    if (Object.keys(body).length === 0) {
      setStatus("Nothing to save: no changes.");
      return;
    }
    setStatus("");
    save.mutate(body);
  }

  const remote = baseline.source.type === "remote";
  // No switching to or from a remote URL (the API refuses it); a host command stays offered to
  // whoever may manage a server that already runs one.
  const sourceTypes: SourceType[] = remote
    ? ["remote"]
    : me.role === "admin" || baseline.source.type === "command"
      ? ["npm", "image", "command"]
      : ["npm", "image"];
  // The API lets only site admins change a server that runs without a sandbox.
  const locked = !server.sandboxed && me.role !== "admin";
  return (
    <div className="settings-tab">
      <h2 className="visually-hidden">Settings</h2>
      {locked ? (
        <p className="notice">
          This server runs without a sandbox, so only administrators may change its settings.
        </p>
      ) : null}
      <form ref={form} className="server-form" noValidate onSubmit={submit}>
        <fieldset className="bare" disabled={locked}>
          <fieldset>
            <legend>General</legend>
            <Field label="Name" error={errors.name}>
              {(control) => (
                <input
                  {...control}
                  required
                  value={values.name}
                  autoComplete="off"
                  onChange={(event) => set({ name: event.target.value })}
                />
              )}
            </Field>
            <p className="field-hint slug-note">
              Slug <code>{baseline.slug}</code> stays when the name changes, so clients keep
              working.
            </p>
            <Field label="Description" error={errors.description}>
              {(control) => (
                <textarea
                  {...control}
                  className="prose-input"
                  rows={2}
                  value={values.description}
                  onChange={(event) => set({ description: event.target.value })}
                />
              )}
            </Field>
          </fieldset>

          <SourceFields
            source={values.source}
            onChange={(source) => set({ source })}
            errors={errors}
            types={sourceTypes}
            isAdmin={me.role === "admin"}
          />

          {remote ? null : (
            <>
              <TransportFields
                transport={values.transport}
                sessionMode={values.sessionMode}
                onTransport={(transport) => set({ transport })}
                onSessionMode={(sessionMode) => set({ sessionMode })}
                errors={errors}
              />
              <LimitsFields
                limits={values.limits}
                network={values.network}
                gpu={values.gpu}
                onLimits={(limits) => set({ limits })}
                onNetwork={(network) => set({ network })}
                onGpu={(gpu) => set({ gpu })}
                errors={errors}
              />
            </>
          )}

          <fieldset>
            <legend>Environment variables</legend>
            <p className="field-hint">
              Values are never shown again: replace one to change it. Changes apply from the next
              deploy.
            </p>
            <CurrentEnv
              edits={values.envEdits}
              onChange={(envEdits) => set({ envEdits })}
              errors={errors}
            />
            <KeyValueRows
              legend="New variables"
              rows={values.env}
              onChange={(env) => set({ env })}
              errors={errors}
              errorKey="env"
              noun="variable"
              namePlaceholder="API_KEY"
              secret
            />
          </fieldset>

          <GatewayFields
            isPublic={values.public}
            maxSessions={values.maxSessions}
            onPublic={(isPublic) => set({ public: isPublic })}
            onMaxSessions={(maxSessions) => set({ maxSessions })}
            errors={errors}
          />

          <ErrorAlert error={save.error} shownFields={shownFields} />
          <div className="actions form-actions">
            <button type="submit" disabled={save.isPending} aria-busy={save.isPending || undefined}>
              {save.isPending ? "Saving…" : "Save changes"}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setValues(serverToForm(baseline));
                setErrors({});
                setChecking(false);
                setStatus("");
                setJustSaved(false);
                save.reset();
              }}
            >
              Discard changes
            </button>
            <p role="status" className="form-status">
              {status}
            </p>
          </div>
        </fieldset>
      </form>
      <RedeployNotice server={server} justSaved={justSaved} />
      <DangerZone server={server} />
    </div>
  );
}

/**
 * Saved settings reach a running server only through a new instance: say so, and offer the
 * redeploy. A stopped server simply starts with them.
 */
function RedeployNotice({ server, justSaved }: { server: Server; justSaved: boolean }) {
  const store = useStoreServer();
  const redeploy = useMutation({
    mutationFn: async () =>
      await bodyOf(
        api.POST("/api/servers/{serverId}/redeploy", {
          params: { path: { serverId: server.id } },
        }),
      ),
    onSuccess: store,
  });
  const running = server.desiredState === "running";
  // One live region, always in the page, so that what appears in it is announced.
  return (
    <div role="status" className="redeploy-region">
      {server.redeployNeeded ? (
        <div className="notice redeploy-notice">
          <p>
            <span aria-hidden="true">↻ </span>
            {justSaved ? "Saved. " : ""}
            {running
              ? "The running instance still uses the old settings."
              : "The new settings apply when the server next starts."}
          </p>
          {running ? (
            <button
              type="button"
              onClick={() => redeploy.mutate()}
              disabled={redeploy.isPending}
              aria-busy={redeploy.isPending || undefined}
            >
              {redeploy.isPending ? "Redeploying…" : "Redeploy now"}
            </button>
          ) : null}
        </div>
      ) : redeploy.isSuccess ? (
        <p className="notice">Redeploying with the saved settings; the status above follows it.</p>
      ) : null}
      <ErrorAlert error={redeploy.error} />
    </div>
  );
}
