import { type ReactNode, useId } from "react";

/** What a control needs to be tied to its label, hint and error. */
export interface FieldControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

interface FieldProps {
  label: string;
  /** Shown under the control, e.g. "Lower-case letters, digits and dashes". */
  hint?: ReactNode;
  /** A message about the value, shown under the control and announced with it. */
  error?: string | undefined;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A labelled form control (input, select, textarea) with a hint and an error message, both tied to
 * the control through aria-describedby so that a screen reader reads them with it.
 */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : "";
  const errorId = error ? `${id}-error` : "";
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {error ? (
        <p id={errorId} className="field-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
