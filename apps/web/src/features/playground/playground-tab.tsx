import type { ServerCapabilities } from "@mcphost/api-client";
import { useSearchParams } from "react-router";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { formatMs } from "../../lib/format";
import { useCapabilities } from "../capabilities/use-capabilities";
import { useServerTab } from "../server-detail/server-outlet";
import { Segmented } from "./pickers";
import { PromptsPanel } from "./prompts-panel";
import { ResourcesPanel } from "./resources-panel";
import type { Runner } from "./run-button";
import { RunHistory } from "./run-history";
import { RunView } from "./run-view";
import { ToolsPanel } from "./tools-panel";
import { type Run, useRuns, verdictOf } from "./use-runs";
import { useSearchParam } from "./use-search-param";
import "./playground.css";

type Mode = "tools" | "resources" | "prompts";

const MODE_LABELS: Record<Mode, string> = {
  tools: "Tools",
  resources: "Resources",
  prompts: "Prompts",
};

/** The search parameter that picks something in each mode: a link with it opens that mode. */
const MODE_PARAMS: Record<Mode, string> = {
  tools: "tool",
  resources: "resource",
  prompts: "prompt",
};

/** /servers/:id/playground: call the server's tools, read its resources, get its prompts. */
export default function PlaygroundTab() {
  const { server } = useServerTab();
  const running = server.status === "running";
  const capabilities = useCapabilities(server);
  const runs = useRuns(server.id);
  const [params] = useSearchParams();
  const [asked, setMode] = useSearchParam("mode");

  if (capabilities.isPending) return <Loading label="Loading what the server offers…" />;
  if (capabilities.isError) {
    return <LoadError error={capabilities.error} onRetry={() => capabilities.refetch()} />;
  }
  const data = capabilities.data;
  if (!data.discoveredAt) {
    return running ? (
      <Loading label="Discovering the server's tools, resources and prompts…" />
    ) : (
      <EmptyState title="Nothing discovered yet">
        <p className="muted">
          MCP Host learns a server's tools, resources and prompts when it starts running. Start the
          server to use the playground.
        </p>
      </EmptyState>
    );
  }

  const modes = offeredModes(data);
  if (modes.length === 0) {
    return (
      <EmptyState title="Nothing to try">
        <p className="muted">This server offers no tools, resources or prompts.</p>
      </EmptyState>
    );
  }
  const linked = modes.find((m) => params.has(MODE_PARAMS[m]));
  const mode = modes.find((m) => m === asked) ?? linked ?? (modes[0] as Mode);

  const runner: Runner = {
    run: (call) => void runs.run(call),
    busy: runs.busy,
    blocked: running
      ? null
      : `The server is ${server.status}. Start it to send calls: the playground talks to the running server.`,
  };
  const results = (
    <>
      <RunAnnouncer latest={runs.runs[0]} />
      {runs.shown ? (
        <RunView
          run={runs.shown}
          onReadResource={(uri) =>
            runner.blocked
              ? undefined
              : runner.run({ method: "resources/read", params: { uri }, target: uri })
          }
        />
      ) : null}
      <RunHistory runs={runs.runs} shownId={runs.shown?.id ?? null} onShow={runs.show} />
    </>
  );

  return (
    <section className="playground" aria-labelledby="playground-title">
      <div className="pg-top">
        <h2 id="playground-title">Playground</h2>
        {modes.length > 1 ? (
          <Segmented
            legend="What to try"
            options={modes.map((m) => ({
              value: m,
              label: `${MODE_LABELS[m]} (${countOf(data, m)})`,
            }))}
            value={mode}
            onChange={setMode}
          />
        ) : null}
      </div>
      {data.error ? (
        <p className="pg-notice">
          <span aria-hidden="true">▲ </span>
          The last discovery failed ({data.error}); these lists are from the one before.
        </p>
      ) : null}
      {/* Every offered mode stays mounted, so a half-filled form survives a look at another mode. */}
      {modes.map((m) => (
        <div key={m} hidden={m !== mode}>
          {m === "tools" ? (
            <ToolsPanel tools={data.tools} runner={runner} results={m === mode ? results : null} />
          ) : m === "resources" ? (
            <ResourcesPanel
              resources={data.resources}
              templates={data.resourceTemplates}
              runner={runner}
              results={m === mode ? results : null}
            />
          ) : (
            <PromptsPanel
              prompts={data.prompts}
              runner={runner}
              results={m === mode ? results : null}
            />
          )}
        </div>
      ))}
    </section>
  );
}

/** The modes the server offers: those it advertises a capability for, or has items of. */
function offeredModes(data: ServerCapabilities): Mode[] {
  const advertised = data.capabilities ?? {};
  return (["tools", "resources", "prompts"] as const).filter(
    (mode) => mode in advertised || countOf(data, mode) > 0,
  );
}

function countOf(data: ServerCapabilities, mode: Mode): number {
  if (mode === "resources") return data.resources.length + data.resourceTemplates.length;
  return data[mode].length;
}

/** Says in words how the latest call went, for screen readers (the result itself is long). */
function RunAnnouncer({ latest }: { latest: Run | undefined }) {
  const settled = latest && latest.state !== "running";
  const latency = latest?.state === "answered" ? `, ${formatMs(latest.outcome.latencyMs)}` : "";
  return (
    <p role="status" className="visually-hidden">
      {settled ? `${latest.call.target}: ${verdictOf(latest)}${latency}` : ""}
    </p>
  );
}
