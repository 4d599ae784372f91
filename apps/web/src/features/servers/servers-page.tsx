import type { Me, Server } from "@mcphost/api-client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { api, bodyOf } from "../../lib/api";
import { useMe } from "../auth/use-session";
import { type OwnerScope, useOwnerScope } from "../orgs/owner-scope";
import { ServerCard } from "./server-card";
import { useLiveStatus, useServers } from "./server-queries";
import "./servers.css";

const EXAMPLE = "@modelcontextprotocol/server-everything";

/** Whether `server` belongs in the workspace being shown. */
function inScope(server: Server, scope: OwnerScope, me: Me): boolean {
  return scope.type === "org"
    ? server.owner.type === "org" && server.owner.id === scope.orgId
    : server.owner.type === "user" && server.owner.id === me.id;
}

/**
 * /servers: the workspace's servers as cards, their status kept live by the status stream.
 * The API lists every server the reader may see (site admins: all of them); the page shows the
 * chosen workspace's, and lets site admins look at everyone's.
 */
export default function ServersPage() {
  const me = useMe();
  const { scope } = useOwnerScope();
  const servers = useServers();
  const stream = useLiveStatus();
  const [showAll, setShowAll] = useState(false);
  const orgs = useQuery({
    // The workspace switcher's query: usually cached already.
    queryKey: ["orgs"],
    queryFn: async () => (await bodyOf(api.GET("/api/orgs"))).items,
  });
  const orgName = (orgId: string) => orgs.data?.find((org) => org.id === orgId)?.name;
  const allMode = me.role === "admin" && showAll;
  const workspace = scope.type === "org" ? (orgName(scope.orgId) ?? "this organization") : null;

  return (
    <section aria-labelledby="servers-title">
      <header className="page-header">
        <div>
          <h1 id="servers-title">Servers</h1>
          <p className="muted page-subtitle">
            {allMode
              ? "Every server on this MCP Host"
              : workspace
                ? `In ${workspace}`
                : "Your personal servers"}
            {stream === "reconnecting" ? (
              <span className="stream-note"> · Live status reconnecting…</span>
            ) : null}
          </p>
        </div>
        <div className="actions">
          {me.role === "admin" ? (
            <label className="inline-field">
              <input
                type="checkbox"
                checked={showAll}
                onChange={(event) => setShowAll(event.target.checked)}
              />
              <span>All servers</span>
            </label>
          ) : null}
          <Link className="button-link" to="/servers/new">
            New server
          </Link>
        </div>
      </header>
      {servers.isPending ? (
        <Loading label="Loading servers…" />
      ) : servers.isError ? (
        <LoadError error={servers.error} onRetry={() => servers.refetch()} />
      ) : (
        <ServerGrid
          servers={allMode ? servers.data : servers.data.filter((s) => inScope(s, scope, me))}
          ownerLabel={
            allMode
              ? (server) =>
                  server.owner.type === "org"
                    ? `Organization: ${orgName(server.owner.id) ?? server.owner.id}`
                    : server.owner.id === me.id
                      ? "You"
                      : `User ${server.owner.id}`
              : undefined
          }
          emptyTitle={
            allMode
              ? "No servers on this MCP Host yet"
              : workspace
                ? `No servers in ${workspace} yet`
                : "No servers yet"
          }
        />
      )}
    </section>
  );
}

function ServerGrid(props: {
  servers: Server[];
  ownerLabel: ((server: Server) => string) | undefined;
  emptyTitle: string;
}) {
  if (props.servers.length === 0) {
    return (
      <EmptyState title={props.emptyTitle}>
        <p>
          Deploy an MCP server from an npm package, a container image or a remote URL. To try it
          out, deploy the example package <code>{EXAMPLE}</code>: it has a tool, prompt and resource
          of every kind.
        </p>
        <p className="actions empty-actions">
          <Link className="button-link" to="/servers/new">
            Deploy a server
          </Link>
          <Link
            to={`/servers/new?${new URLSearchParams({ package: EXAMPLE, name: "Everything" })}`}
          >
            Deploy the example
          </Link>
        </p>
      </EmptyState>
    );
  }
  return (
    <ul className="grid server-grid">
      {props.servers.map((server) => (
        <li key={server.id}>
          <ServerCard server={server} owner={props.ownerLabel?.(server)} />
        </li>
      ))}
    </ul>
  );
}
