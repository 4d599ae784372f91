import { type FormEvent, type ReactNode, useMemo, useRef, useState } from "react";
import { EmptyState } from "../../components/states";
import { formatBytes } from "../../lib/format";
import { str } from "./content-view";
import { ItemPicker, type PickerItem } from "./pickers";
import { RunButton, type Runner } from "./run-button";
import { errorsByPath, focusFirstError, SchemaFields } from "./schema-fields";
import { buildArguments, describeSchema, initialDraft, promptSchema } from "./schema-form";
import { expandTemplate, templateVariables } from "./uri-template";
import { useSearchParam } from "./use-search-param";

interface ResourcesPanelProps {
  /** As `resources/list` and `resources/templates/list` returned them. */
  resources: readonly Record<string, unknown>[];
  templates: readonly Record<string, unknown>[];
  runner: Runner;
  results: ReactNode;
}

/**
 * Pick a resource or a template (`?resource=` holds either: a URI never contains "{"), then read
 * it; a template first asks for its variables.
 */
export function ResourcesPanel({ resources, templates, runner, results }: ResourcesPanelProps) {
  const [selected, select] = useSearchParam("resource");
  const resource = resources.find((r) => r.uri === selected);
  const template = templates.find((t) => t.uriTemplate === selected);
  const items: PickerItem[] = [
    ...resources.map((r) => ({
      key: str(r.uri),
      name: str(r.name) || str(r.uri),
      title: str(r.title) || undefined,
      detail: str(r.name) ? str(r.uri) : undefined,
      description: str(r.description) || undefined,
      group: templates.length > 0 ? "Resources" : "",
    })),
    ...templates.map((t) => ({
      key: str(t.uriTemplate),
      name: str(t.name) || str(t.uriTemplate),
      title: str(t.title) || undefined,
      detail: str(t.name) ? str(t.uriTemplate) : undefined,
      description: str(t.description) || undefined,
      group: "Templates",
    })),
  ];
  return (
    <div className="pg-layout">
      <div className="pg-side">
        <ItemPicker legend="Resources" items={items} selected={selected} onSelect={select} />
      </div>
      <div className="pg-main">
        {resource ? (
          <ResourceReader key={str(resource.uri)} resource={resource} runner={runner} />
        ) : template ? (
          <TemplateReader key={str(template.uriTemplate)} template={template} runner={runner} />
        ) : (
          <EmptyState title={selected ? `No resource “${selected}”` : "Pick a resource"}>
            <p className="muted">Choose a resource or a template from the list to read it.</p>
          </EmptyState>
        )}
        {results}
      </div>
    </div>
  );
}

function Heading({ item, uri }: { item: Record<string, unknown>; uri: string }) {
  const size = typeof item.size === "number" ? formatBytes(item.size) : null;
  return (
    <>
      <h3>{str(item.title) || str(item.name) || uri}</h3>
      <p className="pg-resource-head">
        <code>{uri}</code>
        {str(item.mimeType) ? <span className="badge">{str(item.mimeType)}</span> : null}
        {size ? <span className="badge">{size}</span> : null}
      </p>
      {str(item.description) ? <p className="pg-description">{str(item.description)}</p> : null}
    </>
  );
}

function ResourceReader({
  resource,
  runner,
}: {
  resource: Record<string, unknown>;
  runner: Runner;
}) {
  const uri = str(resource.uri);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    runner.run({ method: "resources/read", params: { uri }, target: uri });
  }
  return (
    <form className="card pg-form" onSubmit={onSubmit}>
      <Heading item={resource} uri={uri} />
      <RunButton label="Read" runner={runner} />
    </form>
  );
}

/** A template's variables as a form of text fields, and the URI they make, shown as it is typed. */
function TemplateReader({
  template,
  runner,
}: {
  template: Record<string, unknown>;
  runner: Runner;
}) {
  const uriTemplate = str(template.uriTemplate);
  const fields = useMemo(
    () => describeSchema(promptSchema(templateVariables(uriTemplate))).fields,
    [uriTemplate],
  );
  const [draft, setDraft] = useState(() => initialDraft(fields));
  const [tried, setTried] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const built = buildArguments(fields, draft);
  const uri = expandTemplate(uriTemplate, built.args as Record<string, string>);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (built.errors.length > 0) return focusFirstError(formRef.current, built.errors);
    runner.run({ method: "resources/read", params: { uri }, target: uri });
  }

  return (
    <form ref={formRef} className="card pg-form" onSubmit={onSubmit} noValidate>
      <Heading item={template} uri={uriTemplate} />
      <SchemaFields
        fields={fields}
        draft={draft}
        errors={tried ? errorsByPath(built.errors) : {}}
        onChange={setDraft}
      />
      <p className="pg-uri-preview">
        URI to read: <code>{uri}</code>
      </p>
      <RunButton label="Read" runner={runner} />
    </form>
  );
}
