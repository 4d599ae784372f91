import { ApiError } from "@mcphost/api-client";
import { Suspense } from "react";
import { Link, Outlet, useParams } from "react-router";
import { LoadError, Loading } from "../../components/states";
import { StatusBadge } from "../../components/status-badge";
import { TabNav } from "../../components/tab-nav";
import { ServerActions } from "../servers/server-actions";
import { useLiveStatus, useServer } from "../servers/server-queries";
import type { ServerOutlet } from "./server-outlet";

const TABS = [
  { to: "", label: "Overview" },
  { to: "connect", label: "Connect" },
  { to: "logs", label: "Logs" },
  { to: "playground", label: "Playground" },
  { to: "capabilities", label: "Capabilities" },
  { to: "traces", label: "Traces" },
  { to: "metrics", label: "Metrics" },
  { to: "files", label: "Files" },
  { to: "settings", label: "Settings" },
] as const;

/** /servers/:serverId/*: the server's name, live status and actions above its tabs. */
export default function ServerDetailPage() {
  const { serverId = "" } = useParams();
  const query = useServer(serverId);
  useLiveStatus(serverId);

  if (query.isPending) return <Loading label="Loading server…" />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <section className="panel">
          <h1>Server not found</h1>
          <p>
            It was deleted, or it belongs to someone else.{" "}
            <Link to="/servers">Back to servers</Link>
          </p>
        </section>
      );
    }
    return <LoadError error={query.error} onRetry={() => query.refetch()} />;
  }

  const server = query.data;
  const outlet: ServerOutlet = { server };
  return (
    <article className="server-page" aria-labelledby="server-title">
      <p className="breadcrumb">
        <Link to="/servers">Servers</Link> / {server.slug}
      </p>
      <header className="server-header">
        <div>
          <h1 id="server-title">{server.name}</h1>
          <p className="server-status-line">
            <StatusBadge status={server.status} />
            {server.statusReason ? <span className="reason">{server.statusReason}</span> : null}
          </p>
        </div>
        <ServerActions server={server} />
      </header>
      <TabNav
        label="Server sections"
        tabs={TABS.map((tab) => ({
          ...tab,
          to: `/servers/${server.id}${tab.to ? `/${tab.to}` : ""}`,
        }))}
      />
      <div className="tab-panel">
        <Suspense fallback={<Loading />}>
          <Outlet context={outlet} />
        </Suspense>
      </div>
    </article>
  );
}
