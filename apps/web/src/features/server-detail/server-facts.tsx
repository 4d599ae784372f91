import type { Server } from "@mcphost/api-client";
import { type ReactNode, useId } from "react";
import { StatusBadge } from "../../components/status-badge";
import { formatRelative, formatTime } from "../../lib/format";

/** The server's status, large, with why; then what it is and how it runs. */
export function ServerFacts({ server }: { server: Server }) {
  const headingId = useId();
  return (
    <section className="card server-facts" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        Status
      </h2>
      <div className="status-large">
        <StatusBadge status={server.status} />
        {server.statusReason ? <p className="status-reason">{server.statusReason}</p> : null}
      </div>
      {server.redeployNeeded ? (
        <p className="notice notice-warn">
          <span aria-hidden="true">▲ </span>
          Settings changed since this instance started. Redeploy to run with them.
        </p>
      ) : null}
      <dl className="details">
        <Fact term="Desired state">
          {server.desiredState === "running" ? "Running" : "Stopped"}
        </Fact>
        <Fact term="Source">{describeSource(server.source)}</Fact>
        {server.source.type === "npm" ? (
          <Fact term="Installed version">{server.resolvedVersion ?? "not installed yet"}</Fact>
        ) : null}
        <Fact term="Runtime">{server.runtime}</Fact>
        <Fact term="Transport">
          {server.transport.type === "stdio"
            ? "stdio"
            : `HTTP on port ${server.transport.port}, path ${server.transport.path}`}
        </Fact>
        <Fact term="Sandbox">
          {server.sandboxed ? (
            "Sandboxed"
          ) : (
            <span className="warn-text">
              <span aria-hidden="true">▲ </span>Not sandboxed: it runs with the host's permissions
            </span>
          )}
        </Fact>
        <Fact term="Network">
          {server.network === "outbound" ? "Outbound allowed" : "No network"}
        </Fact>
        <Fact term="GPU">{server.gpu ? "Yes" : "No"}</Fact>
        <Fact term="Limits">
          {server.limits.memoryMb} MB memory, {server.limits.cpus} CPU
          {server.limits.cpus === 1 ? "" : "s"}, {server.limits.pids} processes
        </Fact>
        <Fact term="Created">
          <Time iso={server.createdAt} />
        </Fact>
        <Fact term="Updated">
          <Time iso={server.updatedAt} />
        </Fact>
      </dl>
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

function describeSource(source: Server["source"]): ReactNode {
  const args = "args" in source && source.args?.length ? ` ${source.args.join(" ")}` : "";
  switch (source.type) {
    case "npm":
      return (
        <>
          npm <code>{`${source.package}@${source.version ?? "latest"}${args}`}</code>
        </>
      );
    case "image":
      return (
        <>
          image <code>{`${source.image}${args}`}</code>
        </>
      );
    case "command":
      return (
        <>
          command <code>{`${source.command}${args}`}</code>
        </>
      );
    case "remote":
      return (
        <>
          remote <code>{source.url}</code>
        </>
      );
  }
}
