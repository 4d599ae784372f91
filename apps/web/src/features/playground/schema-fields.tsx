import { useEffect, useRef } from "react";
import { Field, type FieldControlProps } from "../../components/field";
import type { Draft, DraftObject, FieldDescriptor, FieldError, ScalarField } from "./schema-form";
import { rulesText } from "./schema-rules";

interface SchemaFieldsProps {
  fields: readonly FieldDescriptor[];
  draft: DraftObject;
  /** Messages by field path (see `buildArguments`), each shown under its control. */
  errors: Readonly<Record<string, string>>;
  onChange: (draft: DraftObject) => void;
}

/**
 * The controls for a schema's fields (see schema-form.ts), without the <form>: the caller owns
 * submitting, and calls `focusFirstError` when `buildArguments` reports problems.
 *
 * (Not schema-form.tsx: an import of "./schema-form" would then find the .ts logic in both
 * TypeScript and Vite, and naming the .tsx would need allowImportingTsExtensions.)
 */
export function SchemaFields({ fields, draft, errors, onChange }: SchemaFieldsProps) {
  return (
    <>
      {fields.map((field) => (
        <FieldControl
          key={field.key}
          field={field}
          value={draft[field.key]}
          errors={errors}
          onChange={(value) => onChange({ ...draft, [field.key]: value })}
        />
      ))}
    </>
  );
}

/** Moves focus to the control of the first error: errors come in the order of the form. */
export function focusFirstError(root: HTMLElement | null, errors: readonly FieldError[]) {
  const first = errors[0];
  if (!root || !first) return;
  const controls = root.querySelectorAll<HTMLElement>("[data-path]");
  [...controls].find((control) => control.dataset.path === first.path)?.focus();
}

/** The errors of `buildArguments` as the lookup `SchemaFields` takes. */
export function errorsByPath(errors: readonly FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.path, e.message]));
}

interface FieldControlOwnProps {
  field: FieldDescriptor;
  value: Draft | undefined;
  errors: Readonly<Record<string, string>>;
  onChange: (value: Draft) => void;
}

function FieldControl({ field, value, errors, onChange }: FieldControlOwnProps) {
  const hint = hintOf(field);
  switch (field.kind) {
    case "boolean":
      return (
        <Field label={labelOf(field)} hint={hint} error={errors[field.path]}>
          {(control) => (
            <input
              {...control}
              type="checkbox"
              data-path={field.path}
              checked={value === true}
              onChange={(event) => onChange(event.target.checked)}
            />
          )}
        </Field>
      );
    case "object":
      return (
        <fieldset className="pg-object">
          <legend>{labelOf(field)}</legend>
          {hint ? <p className="field-hint">{hint}</p> : null}
          <SchemaFields
            fields={field.fields}
            draft={isDraftObject(value) ? value : {}}
            errors={errors}
            onChange={onChange}
          />
        </fieldset>
      );
    case "array":
      return (
        <ArrayControl
          field={field}
          rows={Array.isArray(value) ? value : []}
          errors={errors}
          onChange={onChange}
        />
      );
    case "json":
      return (
        <Field label={labelOf(field)} hint={hint} error={errors[field.path]}>
          {(control) => (
            <textarea
              {...control}
              data-path={field.path}
              rows={4}
              spellCheck={false}
              aria-required={field.required || undefined}
              value={typeof value === "string" ? value : ""}
              onChange={(event) => onChange(event.target.value)}
            />
          )}
        </Field>
      );
    default:
      return (
        <Field label={labelOf(field)} hint={hint} error={errors[field.path]}>
          {(control) => (
            <ScalarInput
              field={field}
              control={control}
              value={typeof value === "string" ? value : ""}
              onChange={onChange}
            />
          )}
        </Field>
      );
  }
}

interface ScalarInputProps {
  field: ScalarField;
  control: FieldControlProps;
  value: string;
  onChange: (value: string) => void;
}

function ScalarInput({ field, control, value, onChange }: ScalarInputProps) {
  const common = {
    ...control,
    "data-path": field.path,
    "aria-required": field.required || undefined,
    value,
  };
  if (field.kind === "enum") {
    return (
      <select {...common} onChange={(event) => onChange(event.target.value)}>
        <option value="">{field.required ? "Choose…" : "(not set)"}</option>
        {field.options.map((option, index) => (
          <option key={JSON.stringify(option)} value={String(index)}>
            {typeof option === "string" ? option : JSON.stringify(option)}
          </option>
        ))}
      </select>
    );
  }
  // An <input> cannot hold a line break; text that has one (set through the raw JSON) keeps it.
  if (field.kind === "string" && value.includes("\n")) {
    return <textarea {...common} rows={4} onChange={(event) => onChange(event.target.value)} />;
  }
  const numeric = field.kind === "number" || field.kind === "integer";
  // type="number" would hide what was typed when it does not parse; text lets us say why.
  const inputMode = !numeric
    ? undefined
    : (field.minimum ?? field.exclusiveMinimum ?? -1) >= 0 && field.kind === "integer"
      ? "numeric"
      : "decimal";
  return (
    <input
      {...common}
      type="text"
      inputMode={inputMode}
      autoComplete="off"
      spellCheck={numeric ? false : undefined}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

interface ArrayControlProps {
  field: FieldDescriptor & { kind: "array" };
  rows: string[];
  errors: Readonly<Record<string, string>>;
  onChange: (rows: string[]) => void;
}

/** One control per item, with Add and Remove, so each item has its own label and error. */
function ArrayControl({ field, rows, errors, onChange }: ArrayControlProps) {
  const hint = hintOf(field);
  const listRef = useRef<HTMLDivElement>(null);
  const added = useRef(false);

  // A new row takes focus, so a keyboard user types into it straight away.
  useEffect(() => {
    if (!added.current) return;
    added.current = false;
    const inputs = listRef.current?.querySelectorAll<HTMLElement>("input, select");
    inputs?.[inputs.length - 1]?.focus();
  });

  const error = errors[field.path];
  return (
    <fieldset className="pg-array">
      <legend>{labelOf(field)}</legend>
      {hint ? <p className="field-hint">{hint}</p> : null}
      <div ref={listRef}>
        {rows.map((row, index) => {
          const item = { ...field.item, path: `${field.path}.${index}` };
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions; their text is the state
            <div className="pg-row" key={index}>
              <Field label={`Item ${index + 1}`} error={errors[item.path]}>
                {(control) => (
                  <ScalarInput
                    field={item}
                    control={control}
                    value={row}
                    onChange={(text) => onChange(rows.map((r, i) => (i === index ? text : r)))}
                  />
                )}
              </Field>
              <button
                type="button"
                className="secondary"
                aria-label={`Remove item ${index + 1}`}
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </div>
          );
        })}
      </div>
      <button
        type="button"
        className="secondary"
        data-path={field.path}
        aria-describedby={error ? `${field.path}-array-error` : undefined}
        onClick={() => {
          added.current = true;
          onChange([...rows, ""]);
        }}
      >
        Add item
      </button>
      {error ? (
        <p id={`${field.path}-array-error`} className="field-error pg-array-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** "(required)" in words, so it does not rest on a color or an asterisk. */
function labelOf(field: FieldDescriptor): string {
  return field.required ? `${field.label} (required)` : field.label;
}

/** The schema's description, then what the value must be, so the reader need not guess. */
function hintOf(field: FieldDescriptor): string | undefined {
  const rules = rulesText(field);
  const parts = [field.description, rules].filter(Boolean);
  return parts.length ? parts.join(" · ") : undefined;
}

function isDraftObject(value: Draft | undefined): value is DraftObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
