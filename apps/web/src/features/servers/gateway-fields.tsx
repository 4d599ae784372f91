import { MAX_SESSIONS } from "../../../../server/src/domain/servers/server-rules";
import { Field } from "../../components/field";
import { CheckboxField } from "./form-controls";
import type { FormErrors } from "./server-form-validation";

interface GatewayFieldsProps {
  isPublic: boolean;
  maxSessions: string;
  onPublic: (isPublic: boolean) => void;
  onMaxSessions: (maxSessions: string) => void;
  errors: FormErrors;
}

/** How the MCP gateway admits clients: with a key or without, and how many at once. */
export function GatewayFields(props: GatewayFieldsProps) {
  const { isPublic, maxSessions, onPublic, onMaxSessions, errors } = props;
  return (
    <fieldset>
      <legend>Access</legend>
      <CheckboxField
        label="Public: clients connect without a key"
        hint="Anyone who can reach this MCP Host can use the server. Leave unchecked to require a key."
        checked={isPublic}
        onChange={onPublic}
        error={errors.public}
      />
      <Field
        label="Most sessions at once"
        hint={`${MAX_SESSIONS.min}–${MAX_SESSIONS.max.toLocaleString("en")}, default ${MAX_SESSIONS.fallback}`}
        error={errors.maxSessions}
      >
        {(control) => (
          <input
            {...control}
            className="short-input"
            type="number"
            inputMode="numeric"
            min={MAX_SESSIONS.min}
            max={MAX_SESSIONS.max}
            value={maxSessions}
            onChange={(event) => onMaxSessions(event.target.value)}
          />
        )}
      </Field>
    </fieldset>
  );
}
