import { HTTP_PATH, PORT } from "../../../../server/src/domain/servers/server-rules";
import { Field } from "../../components/field";
import { FieldError, RadioGroup } from "./form-controls";
import type { FormErrors } from "./server-form-validation";
import type { SessionMode, TransportValues } from "./server-form-values";

interface TransportFieldsProps {
  transport: TransportValues;
  sessionMode: SessionMode;
  onTransport: (transport: TransportValues) => void;
  onSessionMode: (mode: SessionMode) => void;
  errors: FormErrors;
}

/**
 * How MCP clients reach the server through the gateway: its stdin/stdout (with one process per
 * client session, or one shared), or Streamable HTTP on a port it listens on. Not for remote
 * servers, which speak HTTP at their URL.
 */
export function TransportFields(props: TransportFieldsProps) {
  const { transport, sessionMode, onTransport, onSessionMode, errors } = props;
  return (
    <fieldset>
      <legend>Transport</legend>
      <FieldError id="transport-error" error={errors.transport} />
      <RadioGroup
        legend="The server speaks MCP over"
        name="transport"
        value={transport.type}
        onChange={(type) => onTransport({ ...transport, type })}
        options={[
          { value: "stdio", label: "stdio", hint: "It reads requests on stdin (most packages)." },
          {
            value: "http",
            label: "Streamable HTTP",
            hint: "It listens on a port inside its sandbox.",
          },
        ]}
      />
      {transport.type === "http" ? (
        <div className="field-row">
          <Field
            label="Port"
            hint={`${PORT.min}–${PORT.max}, where the server listens`}
            error={errors["transport.port"]}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                min={PORT.min}
                max={PORT.max}
                required
                value={transport.port}
                onChange={(event) => onTransport({ ...transport, port: event.target.value })}
              />
            )}
          </Field>
          <Field
            label="Path"
            hint={`Starts with ${HTTP_PATH.prefix}; default ${HTTP_PATH.fallback}`}
            error={errors["transport.path"]}
          >
            {(control) => (
              <input
                {...control}
                value={transport.path}
                spellCheck={false}
                onChange={(event) => onTransport({ ...transport, path: event.target.value })}
              />
            )}
          </Field>
        </div>
      ) : (
        <RadioGroup
          legend="Sessions"
          name="sessionMode"
          value={sessionMode}
          onChange={onSessionMode}
          error={errors.sessionMode}
          options={[
            {
              value: "session",
              label: "One process per client session",
              hint: "Clients never see each other's state; uses more memory.",
            },
            {
              value: "shared",
              label: "One process shared by all clients",
              hint: "Less memory; state (and any login in it) is shared between clients.",
            },
          ]}
        />
      )}
    </fieldset>
  );
}
