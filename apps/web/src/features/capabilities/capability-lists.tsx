import { type ReactNode, useId, useState } from "react";
import { Link } from "react-router";
import {
  annotationBadges,
  type McpPrompt,
  type McpResource,
  type McpResourceTemplate,
  type McpTool,
} from "./mcp-objects";

/** A titled section with its count; an empty one says so rather than disappearing. */
export function CapabilitySection(props: {
  title: string;
  count: number;
  empty: string;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="card capability-section" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {props.title} <span className="count">({props.count})</span>
      </h2>
      {props.count === 0 ? <p className="muted">{props.empty}</p> : props.children}
    </section>
  );
}

export function ToolList({ tools, serverId }: { tools: McpTool[]; serverId: string }) {
  return (
    <ul className="capability-list">
      {tools.map((tool) => (
        <li key={tool.name} className="capability-item">
          <div className="capability-head">
            <h3>
              <code>{tool.name}</code>
              {tool.title && tool.title !== tool.name ? (
                <span className="capability-title"> {tool.title}</span>
              ) : null}
            </h3>
            <Link
              className="try-link"
              to={`/servers/${serverId}/playground?tool=${encodeURIComponent(tool.name)}`}
              aria-label={`Try ${tool.name} in the Playground`}
            >
              Try in Playground
            </Link>
          </div>
          <Badges tool={tool} />
          {tool.description ? <p className="capability-description">{tool.description}</p> : null}
          <Schema label="Input schema" schema={tool.inputSchema} />
          <Schema label="Output schema" schema={tool.outputSchema} />
        </li>
      ))}
    </ul>
  );
}

function Badges({ tool }: { tool: McpTool }) {
  const badges = annotationBadges(tool.annotations);
  if (badges.length === 0) return null;
  return (
    <ul className="badges" aria-label="Annotations">
      {badges.map((b) => (
        <li key={b.label} className={`badge annotation annotation-${b.tone}`}>
          <span aria-hidden="true">{b.tone === "warn" ? "▲" : "●"}</span> {b.label}
        </li>
      ))}
    </ul>
  );
}

function Schema({ label, schema }: { label: string; schema: unknown }) {
  if (schema === undefined || schema === null) return null;
  return (
    <details className="schema">
      <summary>{label}</summary>
      <pre>
        <code>{JSON.stringify(schema, null, 2)}</code>
      </pre>
    </details>
  );
}

/** Resources can run into the hundreds: the first page shows, the rest on request. */
const FIRST_PAGE = 25;

export function ResourceList({ resources }: { resources: McpResource[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? resources : resources.slice(0, FIRST_PAGE);
  return (
    <>
      <div className="table-wrap">
        <table className="stack-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URI</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.uri || r.name}>
                <td data-label="Name">{r.title ?? r.name}</td>
                <td data-label="URI">
                  <code className="uri">{r.uri}</code>
                </td>
                <td data-label="Type">{r.mimeType ?? "–"}</td>
                <td data-label="Description">{r.description ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {resources.length > FIRST_PAGE ? (
        <button type="button" className="secondary show-all" onClick={() => setAll(!all)}>
          {all ? `Show the first ${FIRST_PAGE}` : `Show all ${resources.length}`}
        </button>
      ) : null}
    </>
  );
}

export function TemplateList({ templates }: { templates: McpResourceTemplate[] }) {
  return (
    <ul className="capability-list">
      {templates.map((t) => (
        <li key={t.uriTemplate || t.name} className="capability-item">
          <h3>
            {t.title ?? t.name}
            {t.mimeType ? <span className="muted capability-title"> {t.mimeType}</span> : null}
          </h3>
          <code className="uri">{t.uriTemplate}</code>
          {t.description ? <p className="capability-description">{t.description}</p> : null}
        </li>
      ))}
    </ul>
  );
}

export function PromptList({ prompts }: { prompts: McpPrompt[] }) {
  return (
    <ul className="capability-list">
      {prompts.map((p) => (
        <li key={p.name} className="capability-item">
          <h3>
            <code>{p.name}</code>
            {p.title && p.title !== p.name ? (
              <span className="capability-title"> {p.title}</span>
            ) : null}
          </h3>
          {p.description ? <p className="capability-description">{p.description}</p> : null}
          {p.arguments.length > 0 ? (
            <>
              <p className="arguments-label">Arguments</p>
              <ul className="arguments">
                {p.arguments.map((arg) => (
                  <li key={arg.name}>
                    <code>{arg.name}</code>{" "}
                    <span className="badge">{arg.required ? "required" : "optional"}</span>
                    {arg.description ? <span> {arg.description}</span> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">No arguments.</p>
          )}
        </li>
      ))}
    </ul>
  );
}
