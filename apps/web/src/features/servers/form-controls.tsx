import { type ReactNode, type RefObject, useEffect, useId, useState } from "react";

/** A message under a control or group; the ⚠ makes it more than a color. */
export function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className="field-error">
      <span aria-hidden="true">⚠ </span>
      {error}
    </p>
  );
}

interface CheckboxFieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}

/** A checkbox with its label after it (where people look for one), and its hint tied to it. */
export function CheckboxField({
  label,
  hint,
  error,
  checked,
  onChange,
  disabled,
}: CheckboxFieldProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean);
  return (
    <div className="field checkbox-field">
      <div className="checkbox-line">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          onChange={(event) => onChange(event.target.checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy.join(" ") || undefined}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <FieldError id={`${id}-error`} error={error} />
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface RadioOption<T extends string> {
  value: T;
  label: string;
  hint?: ReactNode;
}

interface RadioGroupProps<T extends string> {
  legend: string;
  name: string;
  value: T;
  options: readonly RadioOption<T>[];
  onChange: (value: T) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** One choice out of a few, as radios in a fieldset, each option with an optional one-line hint. */
export function RadioGroup<T extends string>(props: RadioGroupProps<T>) {
  const { legend, name, value, options, onChange, error, disabled } = props;
  const id = useId();
  return (
    <fieldset
      className="radio-group"
      disabled={disabled}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      <FieldError id={`${id}-error`} error={error} />
      <div className="radio-options">
        {options.map((option) => (
          <div key={option.value} className="radio-option">
            <input
              id={`${id}-${option.value}`}
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={option.hint ? `${id}-${option.value}-hint` : undefined}
            />
            <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
            {option.hint ? (
              <p id={`${id}-${option.value}-hint`} className="field-hint">
                {option.hint}
              </p>
            ) : null}
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Returns a function that moves focus to the first control marked invalid inside `form`, once
 * React has rendered the messages (an effect, not a timer: a late answer still lands on the
 * field). The reader lands on what to fix, and hears its message with it.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>): () => void {
  const [request, setRequest] = useState(0);
  useEffect(() => {
    if (request === 0) return;
    const target = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    target?.focus();
    target?.scrollIntoView({ block: "center" });
  }, [request, form]);
  return () => setRequest((n) => n + 1);
}

/** The status line after a refused submit: how many fields to fix ("" for none). */
export function attentionMessage(count: number): string {
  if (count === 0) return "";
  return count === 1 ? "One field needs attention." : `${count} fields need attention.`;
}
