import { type FormEvent, type ReactNode, useMemo, useRef, useState } from "react";
import { EmptyState } from "../../components/states";
import { str } from "./content-view";
import { ItemPicker } from "./pickers";
import { RunButton, type Runner } from "./run-button";
import { errorsByPath, focusFirstError, SchemaFields } from "./schema-fields";
import {
  buildArguments,
  describeSchema,
  initialDraft,
  type PromptArgument,
  promptSchema,
} from "./schema-form";
import { useSearchParam } from "./use-search-param";

interface PromptsPanelProps {
  /** As `prompts/list` returned them. */
  prompts: readonly Record<string, unknown>[];
  runner: Runner;
  results: ReactNode;
}

/** Pick a prompt (`?prompt=`), fill in its arguments, get its messages. */
export function PromptsPanel({ prompts, runner, results }: PromptsPanelProps) {
  const [selected, select] = useSearchParam("prompt");
  const prompt = prompts.find((p) => p.name === selected);
  const items = prompts.map((p) => ({
    key: str(p.name),
    name: str(p.name),
    title: str(p.title) || undefined,
    description: str(p.description) || undefined,
  }));
  return (
    <div className="pg-layout">
      <div className="pg-side">
        <ItemPicker legend="Prompts" items={items} selected={selected} onSelect={select} />
      </div>
      <div className="pg-main">
        {prompt ? (
          <PromptRunner key={str(prompt.name)} prompt={prompt} runner={runner} />
        ) : (
          <EmptyState title={selected ? `No prompt named “${selected}”` : "Pick a prompt"}>
            <p className="muted">Choose one from the list to fill in its arguments and get it.</p>
          </EmptyState>
        )}
        {results}
      </div>
    </div>
  );
}

/** A prompt's arguments are all strings; they get the same generated form as tool arguments. */
function PromptRunner({ prompt, runner }: { prompt: Record<string, unknown>; runner: Runner }) {
  const name = str(prompt.name);
  const fields = useMemo(() => {
    const args = Array.isArray(prompt.arguments) ? (prompt.arguments as PromptArgument[]) : [];
    return describeSchema(promptSchema(args.filter((a) => typeof a?.name === "string"))).fields;
  }, [prompt.arguments]);
  const [draft, setDraft] = useState(() => initialDraft(fields));
  const [tried, setTried] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const built = buildArguments(fields, draft);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (built.errors.length > 0) return focusFirstError(formRef.current, built.errors);
    runner.run({ method: "prompts/get", params: { name, arguments: built.args }, target: name });
  }

  const title = str(prompt.title) || name;
  return (
    <form ref={formRef} className="card pg-form" onSubmit={onSubmit} noValidate>
      <h3>
        {title} {title !== name ? <code>{name}</code> : null}
      </h3>
      {str(prompt.description) ? <p className="pg-description">{str(prompt.description)}</p> : null}
      {fields.length === 0 ? (
        <p className="muted">This prompt takes no arguments.</p>
      ) : (
        <SchemaFields
          fields={fields}
          draft={draft}
          errors={tried ? errorsByPath(built.errors) : {}}
          onChange={setDraft}
        />
      )}
      <RunButton label="Get prompt" runner={runner} />
    </form>
  );
}
