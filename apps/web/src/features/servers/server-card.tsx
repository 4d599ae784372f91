import type { Server } from "@mcphost/api-client";
import { Link } from "react-router";
import { StatusBadge } from "../../components/status-badge";
import { ServerActions } from "./server-actions";

/** Where the server's code comes from, in one line: kind and what to fetch or run. */
export function describeSource(server: Server): { kind: string; detail: string } {
  const { source } = server;
  switch (source.type) {
    case "npm": {
      const wanted = source.version ?? "latest";
      const pinned =
        server.resolvedVersion && server.resolvedVersion !== wanted
          ? ` (installed ${server.resolvedVersion})`
          : "";
      return { kind: "npm", detail: `${source.package}@${wanted}${pinned}` };
    }
    case "image":
      return { kind: "image", detail: source.image };
    case "command":
      return { kind: "command", detail: [source.command, ...(source.args ?? [])].join(" ") };
    case "remote":
      return { kind: "remote", detail: source.url };
  }
}

/** One server in the list: what it is, how it runs, its live status and its actions. */
export function ServerCard({ server, owner }: { server: Server; owner?: string | undefined }) {
  const titleId = `server-${server.id}-title`;
  const source = describeSource(server);
  const remote = server.source.type === "remote";
  return (
    <article className="card server-card" aria-labelledby={titleId}>
      <header className="server-card-header">
        <h2 id={titleId} className="server-card-title">
          <Link to={`/servers/${server.id}`}>{server.name}</Link>
        </h2>
        <StatusBadge status={server.status} />
      </header>
      <p className="server-card-slug">
        <code>{server.slug}</code>
        {owner ? <span className="muted"> · {owner}</span> : null}
      </p>
      {server.statusReason ? (
        <p className="reason server-card-reason">{server.statusReason}</p>
      ) : null}
      {server.description ? <p className="server-card-description">{server.description}</p> : null}
      <p className="server-card-source">
        <span className="source-kind">{source.kind}</span> <code>{source.detail}</code>
      </p>
      <ul className="badges" aria-label="Properties">
        <li className="badge">
          <span className="visually-hidden">Runtime: </span>
          {server.runtime}
        </li>
        <li className="badge">
          <span className="visually-hidden">Transport: </span>
          {server.transport.type === "http" && !remote
            ? `http :${server.transport.port}`
            : server.transport.type}
        </li>
        {remote ? null : server.sandboxed ? (
          <li className="badge">sandboxed</li>
        ) : (
          <li className="badge status-warn">
            <span aria-hidden="true">▲ </span>not sandboxed
          </li>
        )}
        {server.network === "none" && !remote ? <li className="badge">no network</li> : null}
        {server.gpu ? <li className="badge">GPU</li> : null}
        {server.public ? (
          <li className="badge status-warn">
            <span aria-hidden="true">◇ </span>public: no key needed
          </li>
        ) : null}
        {server.redeployNeeded ? (
          <li className="badge status-busy">
            <span aria-hidden="true">↻ </span>redeploy needed
          </li>
        ) : null}
      </ul>
      <ServerActions server={server} compact />
    </article>
  );
}
