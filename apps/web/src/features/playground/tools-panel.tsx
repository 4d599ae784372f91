import { type FormEvent, type ReactNode, useMemo, useRef, useState } from "react";
import { Field } from "../../components/field";
import { EmptyState } from "../../components/states";
import { asRecord, str } from "./content-view";
import { ItemPicker, type PickerItem, Segmented } from "./pickers";
import { RunButton, type Runner } from "./run-button";
import { errorsByPath, focusFirstError, SchemaFields } from "./schema-fields";
import {
  buildArguments,
  describeSchema,
  draftFromArguments,
  initialDraft,
  parseArgumentsJson,
} from "./schema-form";
import { useSearchParam } from "./use-search-param";

interface ToolsPanelProps {
  /** As `tools/list` returned them. */
  tools: readonly Record<string, unknown>[];
  runner: Runner;
  /** The result and history, shown under the form. */
  results: ReactNode;
}

/** Pick a tool (`?tool=` preselects one), fill in its arguments, call it. */
export function ToolsPanel({ tools, runner, results }: ToolsPanelProps) {
  const [selected, select] = useSearchParam("tool");
  const tool = tools.find((t) => t.name === selected);
  return (
    <div className="pg-layout">
      <div className="pg-side">
        <ItemPicker
          legend="Tools"
          items={tools.map(toolItem)}
          selected={selected}
          onSelect={select}
        />
      </div>
      <div className="pg-main">
        {tool ? (
          <ToolRunner key={str(tool.name)} tool={tool} runner={runner} />
        ) : (
          <EmptyState title={selected ? `No tool named “${selected}”` : "Pick a tool"}>
            <p className="muted">Choose one from the list to fill in its arguments and call it.</p>
          </EmptyState>
        )}
        {results}
      </div>
    </div>
  );
}

function toolItem(tool: Record<string, unknown>): PickerItem {
  const annotations = asRecord(tool.annotations);
  const tags = [
    annotations.readOnlyHint === true ? "read-only" : null,
    annotations.destructiveHint === true && annotations.readOnlyHint !== true
      ? "destructive"
      : null,
  ].filter((tag): tag is string => tag !== null);
  return {
    key: str(tool.name),
    name: str(tool.name),
    title: str(tool.title) || str(annotations.title) || undefined,
    description: str(tool.description) || undefined,
    tags,
  };
}

type Editor = "form" | "json";

/**
 * One tool's arguments, as a form generated from its input schema or as raw JSON. Both stay in
 * step: each form edit rewrites the JSON, and each edit that leaves valid JSON refills the form.
 */
function ToolRunner({ tool, runner }: { tool: Record<string, unknown>; runner: Runner }) {
  const name = str(tool.name);
  const model = useMemo(() => describeSchema(tool.inputSchema), [tool.inputSchema]);
  const [draft, setDraft] = useState(() => initialDraft(model.fields));
  const [raw, setRaw] = useState(() => pretty(buildArguments(model.fields, draft).args));
  const [editor, setEditor] = useState<Editor>(model.formable ? "form" : "json");
  // Messages appear once Run was tried, then follow every edit.
  const [tried, setTried] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const rawRef = useRef<HTMLTextAreaElement>(null);

  const built = buildArguments(model.fields, draft);
  const parsed = parseArgumentsJson(raw);

  function editForm(next: typeof draft) {
    setDraft(next);
    setRaw(pretty(buildArguments(model.fields, next).args));
  }

  function editRaw(text: string) {
    setRaw(text);
    const result = parseArgumentsJson(text);
    if (result.ok) setDraft(draftFromArguments(model.fields, result.value));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    let args: Record<string, unknown>;
    if (editor === "form") {
      setTried(true);
      if (built.errors.length > 0) return focusFirstError(formRef.current, built.errors);
      args = built.args;
    } else {
      if (!parsed.ok) return rawRef.current?.focus();
      args = parsed.value;
    }
    runner.run({ method: "tools/call", params: { name, arguments: args }, target: name });
  }

  const title = str(tool.title) || name;
  return (
    <form ref={formRef} className="card pg-form" onSubmit={onSubmit} noValidate>
      <h3>
        {title} {title !== name ? <code>{name}</code> : null}
      </h3>
      {str(tool.description) ? <p className="pg-description">{str(tool.description)}</p> : null}
      {model.formable ? (
        <Segmented
          legend="Arguments as"
          options={[
            { value: "form", label: "Form" },
            { value: "json", label: "Raw JSON" },
          ]}
          value={editor}
          onChange={setEditor}
        />
      ) : (
        <p className="muted">
          This tool's input schema is not a plain object of fields, so its arguments are entered as
          JSON.
        </p>
      )}
      {editor === "form" ? (
        model.fields.length === 0 ? (
          <p className="muted">This tool takes no arguments.</p>
        ) : (
          <SchemaFields
            fields={model.fields}
            draft={draft}
            errors={tried ? errorsByPath(built.errors) : {}}
            onChange={editForm}
          />
        )
      ) : (
        <Field
          label="Arguments (JSON object)"
          hint="Sent as typed, including keys the form does not show."
          error={parsed.ok ? undefined : parsed.message}
        >
          {(control) => (
            <textarea
              {...control}
              ref={rawRef}
              className="pg-json-editor"
              rows={Math.min(16, Math.max(4, raw.split("\n").length + 1))}
              spellCheck={false}
              value={raw}
              onChange={(event) => editRaw(event.target.value)}
            />
          )}
        </Field>
      )}
      {tried && editor === "form" && built.errors.length > 0 ? (
        <p className="field-error">
          <span aria-hidden="true">⚠ </span>
          {built.errors.length === 1 ? "One field needs" : `${built.errors.length} fields need`}{" "}
          attention before the call can be sent.
        </p>
      ) : null}
      <RunButton label="Run" runner={runner} disabled={editor === "json" && !parsed.ok} />
    </form>
  );
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
