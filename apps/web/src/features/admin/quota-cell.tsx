import { useId } from "react";

interface QuotaCellProps {
  /** The row's form (inputs in table cells join it through the `form` attribute). */
  formId: string;
  /** Whose quota, for the input's accessible name: an email or an organization's name. */
  ownerLabel: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}

/** The server-quota cell of an admin table row, with the API's range and its error beside it. */
export function QuotaCell({ formId, ownerLabel, value, onChange, error }: QuotaCellProps) {
  const errorId = useId();
  return (
    <td data-label="Server quota">
      <input
        form={formId}
        type="number"
        min={0}
        max={100_000}
        step={1}
        required
        inputMode="numeric"
        className="short-input"
        aria-label={`Server quota of ${ownerLabel}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </td>
  );
}
