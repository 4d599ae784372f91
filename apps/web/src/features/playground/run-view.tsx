import type { InvokeOutcome } from "@mcphost/api-client";
import { CopyButton } from "../../components/copy-button";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";
import { formatMs } from "../../lib/format";
import { asRecord, ContentBlock, ResourceContents, str } from "./content-view";
import { type Run, type Verdict, verdictOf } from "./use-runs";

const VERDICTS: Record<Verdict, { symbol: string; tone: string; text: string }> = {
  running: { symbol: "◌", tone: "busy", text: "Running" },
  ok: { symbol: "✓", tone: "ok", text: "Succeeded" },
  "tool error": { symbol: "▲", tone: "warn", text: "Tool error" },
  error: { symbol: "✕", tone: "bad", text: "JSON-RPC error" },
  "request failed": { symbol: "✕", tone: "bad", text: "Request failed" },
};

/** How a run went as a shape and a word as well as a color. */
export function VerdictBadge({ run }: { run: Run }) {
  const verdict = VERDICTS[verdictOf(run)];
  return (
    <span className={`badge status-${verdict.tone}`}>
      <span aria-hidden="true">{verdict.symbol}</span> {verdict.text}
    </span>
  );
}

interface RunViewProps {
  run: Run;
  /** Reads a resource a tool linked to (a resource_link), as a new run. */
  onReadResource: (uri: string) => void;
}

/** The answer to one playground call: its verdict and latency, then what the server returned. */
export function RunView({ run, onReadResource }: RunViewProps) {
  const { method, target } = run.call;
  return (
    <section className="card pg-run" aria-labelledby={`run-${run.id}`}>
      <header className="pg-run-head">
        <h3 id={`run-${run.id}`}>
          <code>{method}</code> {target}
        </h3>
        <span className="badges">
          <VerdictBadge run={run} />
          {run.state === "answered" ? (
            <span className="badge" title="Round trip through the gateway">
              {formatMs(run.outcome.latencyMs)}
            </span>
          ) : null}
        </span>
      </header>
      {run.state === "running" ? <Loading label={`Waiting for ${target}…`} /> : null}
      {run.state === "failed" ? <ErrorAlert error={run.failure} /> : null}
      {run.state === "answered" ? (
        <>
          {run.outcome.error ? <RpcError error={run.outcome.error} /> : null}
          {run.outcome.result ? (
            <Result
              method={method}
              result={run.outcome.result}
              target={target}
              onReadResource={onReadResource}
            />
          ) : null}
          <RawResponse outcome={run.outcome} />
        </>
      ) : null}
    </section>
  );
}

function RpcError({ error }: { error: NonNullable<InvokeOutcome["error"]> }) {
  return (
    <div className="pg-rpc-error">
      <p>
        <strong>
          <span aria-hidden="true">✕ </span>Error {error.code}:
        </strong>{" "}
        {error.message}
      </p>
      {error.data !== undefined ? <pre>{JSON.stringify(error.data, null, 2)}</pre> : null}
    </div>
  );
}

interface ResultProps {
  method: Run["call"]["method"];
  result: Record<string, unknown>;
  target: string;
  onReadResource: (uri: string) => void;
}

function Result({ method, result, target, onReadResource }: ResultProps) {
  if (method === "resources/read") {
    const contents = Array.isArray(result.contents) ? result.contents : [];
    if (contents.length === 0) return <p className="muted">The resource has no contents.</p>;
    return (
      <ul className="pg-content">
        {contents.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a result's contents never reorder
          <li key={index}>
            <ResourceContents contents={item} source={target} />
          </li>
        ))}
      </ul>
    );
  }
  if (method === "prompts/get") {
    const messages = Array.isArray(result.messages) ? result.messages : [];
    return (
      <>
        {str(result.description) ? <p>{str(result.description)}</p> : null}
        <ol className="pg-content pg-messages" aria-label="Messages">
          {messages.map((message, index) => {
            const { role, content } = asRecord(message);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a prompt's messages never reorder
              <li key={index}>
                <span className="badge pg-role">{str(role) || "?"}</span>
                <ContentBlock block={content} source={target} onReadResource={onReadResource} />
              </li>
            );
          })}
        </ol>
      </>
    );
  }
  return <ToolResult result={result} target={target} onReadResource={onReadResource} />;
}

function ToolResult({ result, target, onReadResource }: Omit<ResultProps, "method">) {
  const content = Array.isArray(result.content) ? result.content : [];
  return (
    <>
      {result.isError === true ? (
        <p className="pg-tool-error">
          <span aria-hidden="true">▲ </span>
          The tool reported an error (<code>isError</code>); its content says why.
        </p>
      ) : null}
      {content.length === 0 ? (
        <p className="muted">No content.</p>
      ) : (
        <ol className="pg-content" aria-label="Content">
          {content.map((block, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a result's content never reorders
            <li key={index}>
              <ContentBlock block={block} source={target} onReadResource={onReadResource} />
            </li>
          ))}
        </ol>
      )}
      {result.structuredContent !== undefined ? (
        <>
          <h4>Structured content</h4>
          <pre className="pg-text">{JSON.stringify(result.structuredContent, null, 2)}</pre>
        </>
      ) : null}
    </>
  );
}

function RawResponse({ outcome }: { outcome: InvokeOutcome }) {
  const json = JSON.stringify(outcome, null, 2);
  return (
    <details className="pg-raw">
      <summary>Raw response</summary>
      <div className="actions">
        <CopyButton text={json} label="Copy JSON" />
      </div>
      <pre>{json}</pre>
    </details>
  );
}
