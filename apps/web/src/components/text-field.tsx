import { useId } from "react";

interface TextFieldProps {
  label: string;
  name: string;
  type?: "text" | "email" | "password";
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the input and tied to it as its description, e.g. "must be at least 8 characters". */
  error?: string | undefined;
  required?: boolean;
}

/** A labelled input whose error message is announced with it. */
export function TextField({ label, error, onChange, type = "text", ...input }: TextFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        type={type}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {label} {error}
        </p>
      ) : null}
    </div>
  );
}
