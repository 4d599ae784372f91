import { ApiError, type CreateServer, type Server } from "@mcphost/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
// The server derives a slug from the name with this very function, so the hint shows what it will.
// (Bundled into the browser: org.ts must stay free of Node-only imports.)
import { slugify } from "../../../../server/src/domain/slug";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { api, bodyOf } from "../../lib/api";
import { useMe } from "../auth/use-session";
import { useOwnerScope } from "../orgs/owner-scope";
import { KeyValueRows } from "./env-rows";
import { attentionMessage, CheckboxField, useFocusFirstInvalid } from "./form-controls";
import { GatewayFields } from "./gateway-fields";
import { LimitsFields } from "./limits-fields";
import {
  type FormErrors,
  isFormKey,
  placeApiErrors,
  validateServerForm,
} from "./server-form-validation";
import {
  emptyServerForm,
  type RuntimeChoice,
  type ServerFormValues,
  toCreateBody,
} from "./server-form-values";
import { serverKey, serversKey } from "./server-queries";
import { SourceFields } from "./source-fields";
import { TransportFields } from "./transport-fields";
import "./servers.css";

/** What the server page finds in `location.state` after a create: the key, shown only once. */
export interface CreatedServerState {
  apiKey: string;
}

/**
 * /servers/new: deploy a server. The values are checked with the API's own rules before sending;
 * what the API still refuses is shown next to the field it names. Nothing typed is lost on a
 * failure. `?package=` and `?name=` prefill the form (the empty servers list links the example).
 */
export default function NewServerPage() {
  const me = useMe();
  const { scope } = useOwnerScope();
  const [params] = useSearchParams();
  const [values, setValues] = useState<ServerFormValues>(() => ({
    ...emptyServerForm(scope.type === "org" ? scope.orgId : "", params.get("package") ?? ""),
    name: params.get("name") ?? "",
  }));
  const [errors, setErrors] = useState<FormErrors>({});
  const [shownFields, setShownFields] = useState<string[]>([]);
  // After a refused submit, messages follow the values as they are fixed.
  const [checking, setChecking] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const focusFirstInvalid = useFocusFirstInvalid(form);
  const navigate = useNavigate();
  const client = useQueryClient();

  const create = useMutation({
    mutationFn: async (body: CreateServer) => await bodyOf(api.POST("/api/servers", { body })),
    onSuccess: ({ apiKey, ...server }) => {
      client.setQueryData<Server>(serverKey(server.id), server);
      client.setQueryData<Server[]>(serversKey, (list) => (list ? [...list, server] : list));
      void client.invalidateQueries({ queryKey: serversKey });
      const state: CreatedServerState = { apiKey };
      navigate(`/servers/${server.id}`, { state });
    },
    onError: (error) => {
      const fieldErrors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
      const placed = placeApiErrors(fieldErrors, values, isFormKey);
      setErrors(placed.errors);
      setShownFields(placed.shown);
      if (placed.shown.length > 0) focusFirstInvalid();
    },
  });

  function change(next: ServerFormValues) {
    setValues(next);
    if (checking) {
      setErrors(validateServerForm(next));
      setShownFields([]);
    }
  }
  const set = (patch: Partial<ServerFormValues>) => change({ ...values, ...patch });

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateServerForm(values);
    setErrors(found);
    setShownFields([]);
    setChecking(true);
    create.reset();
    if (Object.keys(found).length > 0) {
      focusFirstInvalid();
      return;
    }
    create.mutate(toCreateBody(values));
  }

  const remote = values.source.type === "remote";
  const problemCount = Object.keys(errors).length;
  return (
    <section className="server-form-page" aria-labelledby="new-server-title">
      <p className="breadcrumb">
        <Link to="/servers">Servers</Link> / New
      </p>
      <h1 id="new-server-title">New server</h1>
      <form ref={form} className="server-form" noValidate onSubmit={submit}>
        <fieldset>
          <legend>About</legend>
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
          <Field
            label="Slug (optional)"
            hint={
              <>
                Its address:{" "}
                <code>/mcp/{values.slug.trim() || slugify(values.name, "server")}</code>
                {values.slug.trim()
                  ? null
                  : ". Left empty, it is made from the name (with a suffix if taken)."}
              </>
            }
            error={errors.slug}
          >
            {(control) => (
              <input
                {...control}
                value={values.slug}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ slug: event.target.value })}
              />
            )}
          </Field>
          <Field label="Description (optional)" error={errors.description}>
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
          <OwnerField
            value={values.ownerId}
            onChange={(ownerId) => set({ ownerId })}
            error={errors.orgId}
          />
        </fieldset>

        <SourceFields
          source={values.source}
          onChange={(source) => set({ source })}
          errors={errors}
          types={
            me.role === "admin" ? ["npm", "image", "command", "remote"] : ["npm", "image", "remote"]
          }
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
            <fieldset>
              <legend>Runtime</legend>
              <Field
                label="Run it with"
                hint="Auto: Docker for images, and for npm packages when Docker is reachable; else the process runtime."
                error={errors.runtime}
              >
                {(control) => (
                  <select
                    {...control}
                    value={values.runtime}
                    onChange={(event) => set({ runtime: event.target.value as RuntimeChoice })}
                  >
                    <option value="auto">Auto</option>
                    <option value="process">Process</option>
                    <option value="docker">Docker</option>
                  </select>
                )}
              </Field>
            </fieldset>
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

        <KeyValueRows
          legend="Environment variables"
          hint="For API keys and settings. Values are never shown again after you save."
          rows={values.env}
          onChange={(env) => set({ env })}
          errors={errors}
          errorKey="env"
          noun="variable"
          namePlaceholder="API_KEY"
          secret
        />

        <GatewayFields
          isPublic={values.public}
          maxSessions={values.maxSessions}
          onPublic={(isPublic) => set({ public: isPublic })}
          onMaxSessions={(maxSessions) => set({ maxSessions })}
          errors={errors}
        />

        <CheckboxField
          label="Start now"
          hint="Leave unchecked to create it stopped, and start it later."
          checked={values.start}
          onChange={(start) => set({ start })}
        />

        <ErrorAlert error={create.error} shownFields={shownFields} />
        <div className="actions form-actions">
          <button
            type="submit"
            disabled={create.isPending}
            aria-busy={create.isPending || undefined}
          >
            {create.isPending ? "Creating…" : "Create server"}
          </button>
          <Link to="/servers">Cancel</Link>
          <p role="status" className="form-status">
            {create.isPending ? "" : attentionMessage(problemCount)}
          </p>
        </div>
      </form>
    </section>
  );
}

/** Whose server it will be: the reader's, or one of their organizations' (the workspace's first). */
function OwnerField(props: {
  value: string;
  onChange: (ownerId: string) => void;
  error: string | undefined;
}) {
  // The same query as the workspace switcher in the header, so it is usually cached already.
  const orgs = useQuery({
    queryKey: ["orgs"],
    queryFn: async () => (await bodyOf(api.GET("/api/orgs"))).items,
  });
  return (
    <Field
      label="Owner"
      hint="An organization's servers are shared with its members."
      error={props.error}
    >
      {(control) => (
        <select
          {...control}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
        >
          <option value="">Personal (you)</option>
          {(orgs.data ?? []).map((org) => (
            <option key={org.id} value={org.id}>
              {org.name}
            </option>
          ))}
          {/* A workspace whose list has not loaded yet still shows as chosen. */}
          {props.value && !orgs.data?.some((org) => org.id === props.value) ? (
            <option value={props.value}>{orgs.isPending ? "Loading…" : props.value}</option>
          ) : null}
        </select>
      )}
    </Field>
  );
}
