import { type ReactNode, useEffect, useRef, useState } from "react";
import { Field, type FieldControlProps } from "../../components/field";
import { FieldError } from "./form-controls";
import type { FormErrors } from "./server-form-validation";
import { type EnvEdit, newRow, type Row } from "./server-form-values";

interface KeyValueRowsProps {
  legend: string;
  hint?: ReactNode;
  rows: Row[];
  onChange: (rows: Row[]) => void;
  errors: FormErrors;
  /** Where this list's messages sit in `errors`: `env` → `env`, `env.{rowId}.name`, … */
  errorKey: string;
  /** What one row is called: "variable", "header". */
  noun: string;
  namePlaceholder?: string;
  /** Values are secrets: hidden while typed, with a button to show one. */
  secret?: boolean;
}

/**
 * Name/value rows to add and remove: environment variables, a remote server's headers. A new row
 * takes focus, so a keyboard user types straight on.
 */
export function KeyValueRows(props: KeyValueRowsProps) {
  const { legend, hint, rows, onChange, errors, errorKey, noun, namePlaceholder, secret } = props;
  const focusRow = useRef<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!focusRow.current) return;
    list.current?.querySelector<HTMLInputElement>(`[data-row="${focusRow.current}"]`)?.focus();
    focusRow.current = null;
  });

  const update = (id: string, change: Partial<Row>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));

  return (
    <fieldset className="key-value-rows">
      <legend>{legend}</legend>
      {hint ? <p className="field-hint">{hint}</p> : null}
      <FieldError id={`${errorKey}-error`} error={errors[errorKey]} />
      <div ref={list}>
        {rows.map((row, index) => (
          <fieldset key={row.id} className="bare kv-row">
            <legend className="visually-hidden">{`${capitalize(noun)} ${index + 1}`}</legend>
            <Field label="Name" error={errors[`${errorKey}.${row.id}.name`]}>
              {(control) => (
                <input
                  {...control}
                  data-row={row.id}
                  value={row.name}
                  placeholder={namePlaceholder}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => update(row.id, { name: event.target.value })}
                />
              )}
            </Field>
            <Field label="Value" error={errors[`${errorKey}.${row.id}.value`]}>
              {(control) =>
                secret ? (
                  <SecretInput
                    control={control}
                    value={row.value}
                    onChange={(value) => update(row.id, { value })}
                  />
                ) : (
                  <input
                    {...control}
                    value={row.value}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(event) => update(row.id, { value: event.target.value })}
                  />
                )
              }
            </Field>
            <button
              type="button"
              className="secondary kv-remove"
              onClick={() => {
                onChange(rows.filter((r) => r.id !== row.id));
                addButton.current?.focus();
              }}
            >
              Remove<span className="visually-hidden">{` ${noun} ${index + 1}`}</span>
            </button>
          </fieldset>
        ))}
      </div>
      <button
        ref={addButton}
        type="button"
        className="secondary"
        onClick={() => {
          const row = newRow();
          focusRow.current = row.id;
          onChange([...rows, row]);
        }}
      >
        Add {noun}
      </button>
    </fieldset>
  );
}

/** A password input with a button that shows what was typed (to check it), and hides it again. */
export function SecretInput(props: {
  control: FieldControlProps;
  value: string;
  onChange: (value: string) => void;
  /** Take focus when it appears (it replaces the button that opened it). */
  focusOnMount?: boolean;
}) {
  const [shown, setShown] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const focusOnMount = useRef(props.focusOnMount);
  useEffect(() => {
    if (focusOnMount.current) ref.current?.focus();
  }, []);
  return (
    <div className="secret-input">
      <input
        {...props.control}
        ref={ref}
        type={shown ? "text" : "password"}
        value={props.value}
        // Not a login password: keep password managers from filling or saving it.
        autoComplete="new-password"
        spellCheck={false}
        onChange={(event) => props.onChange(event.target.value)}
      />
      <button
        type="button"
        className="secondary"
        aria-pressed={shown}
        onClick={() => setShown(!shown)}
      >
        {shown ? "Hide" : "Show"}
        <span className="visually-hidden"> value</span>
      </button>
    </div>
  );
}

interface CurrentEnvProps {
  edits: EnvEdit[];
  onChange: (edits: EnvEdit[]) => void;
  errors: FormErrors;
}

/**
 * The variables a server has. Their values are never sent back, so each can only be replaced
 * (typed anew) or deleted; nothing changes until the form is saved.
 */
export function CurrentEnv({ edits, onChange, errors }: CurrentEnvProps) {
  // The button pressed disappears (Delete becomes Keep, and back): focus moves to the one in its
  // place instead of falling to the page.
  const focusAfter = useRef<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (!focusAfter.current) return;
    list.current
      ?.querySelector<HTMLButtonElement>(`[data-focus="${CSS.escape(focusAfter.current)}"]`)
      ?.focus();
    focusAfter.current = null;
  });
  if (edits.length === 0) return <p className="muted">No variables yet.</p>;
  const update = (name: string, change: Partial<EnvEdit>) =>
    onChange(edits.map((e) => (e.name === name ? { ...e, ...change } : e)));
  return (
    <ul className="current-env" ref={list}>
      {edits.map((edit) => (
        <li key={edit.name} className={`current-env-item ${edit.action}`}>
          <div className="current-env-line">
            <code className="env-name">{edit.name}</code>
            <span className="muted">
              {edit.action === "delete"
                ? "will be deleted when you save"
                : edit.action === "replace"
                  ? "new value:"
                  : "value hidden"}
            </span>
            <span className="actions">
              {edit.action === "keep" ? (
                <>
                  <button
                    type="button"
                    className="secondary"
                    data-focus={`replace:${edit.name}`}
                    onClick={() => update(edit.name, { action: "replace" })}
                  >
                    Replace value<span className="visually-hidden"> of {edit.name}</span>
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      focusAfter.current = `undo:${edit.name}`;
                      update(edit.name, { action: "delete" });
                    }}
                  >
                    Delete<span className="visually-hidden"> {edit.name}</span>
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="secondary"
                  data-focus={`undo:${edit.name}`}
                  onClick={() => {
                    focusAfter.current = `replace:${edit.name}`;
                    update(edit.name, { action: "keep", value: "" });
                  }}
                >
                  {edit.action === "delete" ? "Keep" : "Cancel"}
                  <span className="visually-hidden"> {edit.name}</span>
                </button>
              )}
            </span>
          </div>
          {edit.action === "replace" ? (
            <Field label={`New value of ${edit.name}`} error={errors[`envEdit.${edit.name}`]}>
              {(control) => (
                <SecretInput
                  control={control}
                  value={edit.value}
                  focusOnMount
                  onChange={(value) => update(edit.name, { value })}
                />
              )}
            </Field>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
