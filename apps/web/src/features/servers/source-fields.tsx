import { ARGS, DEFAULT_VERSION } from "../../../../server/src/domain/servers/server-rules";
import { Field } from "../../components/field";
import { KeyValueRows } from "./env-rows";
import { CheckboxField, RadioGroup, type RadioOption } from "./form-controls";
import type { FormErrors } from "./server-form-validation";
import type { SourceType, SourceValues } from "./server-form-values";

const TYPES: readonly RadioOption<SourceType>[] = [
  { value: "npm", label: "npm package", hint: "Installed from the npm registry, run with Node." },
  { value: "image", label: "Container image", hint: "Pulled and run by Docker." },
  {
    value: "command",
    label: "Host command",
    hint: "A program on this machine, run by the process runtime. Administrators only.",
  },
  {
    value: "remote",
    label: "Remote URL",
    hint: "An MCP server running elsewhere; MCP Host adds keys, tracing and a stable URL.",
  },
];

interface SourceFieldsProps {
  source: SourceValues;
  onChange: (source: SourceValues) => void;
  errors: FormErrors;
  /**
   * The source types offered: host commands only to site admins, and settings cannot switch to
   * or from a remote URL.
   */
  types: readonly SourceType[];
  /** Site admins may also let a remote URL point at private addresses. */
  isAdmin: boolean;
}

/** Where the server's code comes from; every type's fields are kept while another is chosen. */
export function SourceFields({ source, onChange, errors, types, isAdmin }: SourceFieldsProps) {
  const set = (change: Partial<SourceValues>) => onChange({ ...source, ...change });
  const options = TYPES.filter((option) => types.includes(option.value));
  return (
    <fieldset>
      <legend>Source</legend>
      {options.length > 1 ? (
        <RadioGroup
          legend="Type"
          name="sourceType"
          value={source.type}
          options={options}
          onChange={(type) => set({ type })}
          error={errors["source.type"]}
        />
      ) : null}

      {source.type === "npm" ? (
        <>
          <Field
            label="Package"
            hint="An npm package name, for example @modelcontextprotocol/server-everything"
            error={errors["source.package"]}
          >
            {(control) => (
              <input
                {...control}
                required
                value={source.package}
                placeholder="@modelcontextprotocol/server-everything"
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ package: event.target.value })}
              />
            )}
          </Field>
          <Field
            label="Version"
            hint={`A version, range or tag; default ${DEFAULT_VERSION}. The version installed is pinned until you redeploy.`}
            error={errors["source.version"]}
          >
            {(control) => (
              <input
                {...control}
                value={source.version}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ version: event.target.value })}
              />
            )}
          </Field>
        </>
      ) : null}

      {source.type === "image" ? (
        <>
          <Field label="Image" error={errors["source.image"]}>
            {(control) => (
              <input
                {...control}
                required
                value={source.image}
                placeholder="ghcr.io/org/server:1.2"
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ image: event.target.value })}
              />
            )}
          </Field>
          <LinesField
            label="Command (optional)"
            hint="Replaces the image's entrypoint. One part per line; leave empty to keep it."
            value={source.entrypoint}
            error={errors["source.command"]}
            onChange={(entrypoint) => set({ entrypoint })}
          />
        </>
      ) : null}

      {source.type === "command" ? (
        <Field
          label="Program"
          hint="A program on this machine, run by the process runtime (sandboxed where bubblewrap is installed)."
          error={errors["source.command"]}
        >
          {(control) => (
            <input
              {...control}
              required
              value={source.command}
              placeholder="/usr/local/bin/my-server"
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => set({ command: event.target.value })}
            />
          )}
        </Field>
      ) : null}

      {source.type === "remote" ? (
        <>
          <Field
            label="URL"
            hint="The remote server's Streamable HTTP endpoint"
            error={errors["source.url"]}
          >
            {(control) => (
              <input
                {...control}
                type="url"
                required
                value={source.url}
                placeholder="https://example.com/mcp"
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ url: event.target.value })}
              />
            )}
          </Field>
          <KeyValueRows
            legend="Headers"
            hint={
              <>
                Sent with every request. Write secrets as <code>${"{NAME}"}</code> and add{" "}
                <code>NAME</code> under environment variables: those are never shown again.
              </>
            }
            rows={source.headers}
            onChange={(headers) => set({ headers })}
            errors={errors}
            errorKey="source.headers"
            noun="header"
            namePlaceholder="Authorization"
          />
          {isAdmin ? (
            <CheckboxField
              label="Allow private addresses"
              hint="Administrators only: the URL may point at loopback or the local network."
              checked={source.allowPrivateNetwork}
              onChange={(allowPrivateNetwork) => set({ allowPrivateNetwork })}
            />
          ) : null}
        </>
      ) : (
        <LinesField
          label="Arguments (optional)"
          hint={`One per line, passed as they are (no shell quoting); at most ${ARGS.maxCount}.`}
          value={source.args}
          error={errors["source.args"]}
          onChange={(args) => set({ args })}
        />
      )}
    </fieldset>
  );
}

function LinesField(props: {
  label: string;
  hint: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      {(control) => (
        <textarea
          {...control}
          rows={Math.min(8, Math.max(2, props.value.split("\n").length + 1))}
          value={props.value}
          spellCheck={false}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
