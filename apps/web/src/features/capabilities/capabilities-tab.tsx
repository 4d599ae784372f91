import type { ServerCapabilities } from "@mcphost/api-client";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { formatRelative, formatTime } from "../../lib/format";
import { useServerTab } from "../server-detail/server-outlet";
import {
  CapabilitySection,
  PromptList,
  ResourceList,
  TemplateList,
  ToolList,
} from "./capability-lists";
import { toPrompt, toResource, toResourceTemplate, toTool } from "./mcp-objects";
import { useCapabilities } from "./use-capabilities";
import "./capabilities.css";

/** /servers/:serverId/capabilities: what discovery found the server offers. */
export default function CapabilitiesTab() {
  const { server } = useServerTab();
  const query = useCapabilities(server);

  if (query.isPending) return <Loading label="Loading capabilities…" />;
  if (query.isError) return <LoadError error={query.error} onRetry={() => query.refetch()} />;
  const caps = query.data;

  return (
    <div className="capabilities">
      <div className="section-header capabilities-header">
        <h2>Capabilities</h2>
        <button
          type="button"
          className="secondary"
          onClick={() => query.refetch()}
          disabled={query.isFetching}
          aria-busy={query.isFetching || undefined}
        >
          {query.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {caps.error ? (
        <div role="alert" className="card discovery-error">
          <p>
            <span aria-hidden="true">✕ </span>
            <strong>The last discovery failed:</strong> {caps.error}
          </p>
          {caps.revision > 1 ? (
            <p className="muted">Below is what the discovery before it found.</p>
          ) : null}
        </div>
      ) : null}
      {caps.discoveredAt === null ? (
        <EmptyState title="Not discovered yet">
          <p>
            Discovery runs when the server starts running: MCP Host connects to it as a client and
            lists its tools, resources and prompts.
          </p>
        </EmptyState>
      ) : (
        <Discovered caps={caps} serverId={server.id} />
      )}
    </div>
  );
}

function Discovered({ caps, serverId }: { caps: ServerCapabilities; serverId: string }) {
  const info = caps.serverInfo ?? {};
  const name = typeof info.name === "string" ? info.name : "unnamed";
  const version = typeof info.version === "string" ? info.version : null;
  const tools = caps.tools.map(toTool);
  const resources = caps.resources.map(toResource);
  const templates = caps.resourceTemplates.map(toResourceTemplate);
  const prompts = caps.prompts.map(toPrompt);
  const discoveredAt = caps.discoveredAt as string;

  return (
    <>
      <section className="card" aria-label="Server information">
        <dl className="details">
          <div>
            <dt>Server</dt>
            <dd>
              {name}
              {version ? ` ${version}` : ""}
            </dd>
          </div>
          <div>
            <dt>Protocol version</dt>
            <dd>{caps.protocolVersion ?? "unknown"}</dd>
          </div>
          <div>
            <dt>Discovered</dt>
            <dd>
              <time dateTime={discoveredAt} title={formatTime(discoveredAt)}>
                {formatRelative(discoveredAt)}
              </time>
            </dd>
          </div>
        </dl>
        {caps.instructions ? (
          <details className="instructions">
            <summary>Instructions for clients</summary>
            <p>{caps.instructions}</p>
          </details>
        ) : null}
      </section>
      <CapabilitySection title="Tools" count={tools.length} empty="This server offers no tools.">
        <ToolList tools={tools} serverId={serverId} />
      </CapabilitySection>
      <CapabilitySection
        title="Resources"
        count={resources.length}
        empty="This server lists no resources."
      >
        <ResourceList resources={resources} />
      </CapabilitySection>
      <CapabilitySection
        title="Resource templates"
        count={templates.length}
        empty="This server offers no resource templates."
      >
        <TemplateList templates={templates} />
      </CapabilitySection>
      <CapabilitySection
        title="Prompts"
        count={prompts.length}
        empty="This server offers no prompts."
      >
        <PromptList prompts={prompts} />
      </CapabilitySection>
    </>
  );
}
