import type { ClientConfig } from "@mcphost/api-client";
import { type KeyboardEvent, useId, useRef, useState } from "react";
import { CopyButton } from "../../components/copy-button";

type ClientSnippet = ClientConfig["clients"][number];

/**
 * One tab per MCP client, after the WAI-ARIA tabs pattern: the tabs are one stop in the tab order
 * (roving tabindex), arrow keys, Home and End move between them and show their panel at once.
 */
export function ClientTabs({ clients }: { clients: ClientSnippet[] }) {
  const baseId = useId();
  const [selected, setSelected] = useState(0);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const tabId = (i: number) => `${baseId}-tab-${i}`;
  const panelId = (i: number) => `${baseId}-panel-${i}`;

  function onKeyDown(event: KeyboardEvent) {
    const last = clients.length - 1;
    const next: Record<string, number> = {
      ArrowRight: selected === last ? 0 : selected + 1,
      ArrowLeft: selected === 0 ? last : selected - 1,
      Home: 0,
      End: last,
    };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    setSelected(target);
    tabs.current[target]?.focus();
  }

  const client = clients[selected];
  return (
    <div className="client-tabs">
      <div role="tablist" aria-label="MCP clients" className="tablist" onKeyDown={onKeyDown}>
        {clients.map((c, i) => (
          <button
            key={c.id}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={tabId(i)}
            aria-selected={i === selected}
            aria-controls={panelId(i)}
            tabIndex={i === selected ? 0 : -1}
            className="tab"
            onClick={() => setSelected(i)}
          >
            {c.name}
          </button>
        ))}
      </div>
      {client ? (
        <div
          role="tabpanel"
          id={panelId(selected)}
          aria-labelledby={tabId(selected)}
          className="tabpanel"
        >
          <Snippet client={client} />
        </div>
      ) : null}
    </div>
  );
}

const WHERE: Record<ClientSnippet["format"], string> = {
  json: "Add this to",
  shell: "Run this in a terminal",
  typescript: "Use this in your TypeScript code",
  python: "Use this in your Python code",
};

function Snippet({ client }: { client: ClientSnippet }) {
  return (
    <>
      <div className="snippet-header">
        <p>
          {WHERE[client.format]}
          {client.file ? (
            <>
              {" "}
              <code>{client.file}</code>
            </>
          ) : null}
          :
        </p>
        <CopyButton text={client.snippet} label={`Copy ${client.name} snippet`} />
      </div>
      <pre className="snippet">
        <code>{client.snippet}</code>
      </pre>
    </>
  );
}
