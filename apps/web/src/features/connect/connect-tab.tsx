import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { CopyButton } from "../../components/copy-button";
import { LoadError, Loading } from "../../components/states";
import { api, bodyOf } from "../../lib/api";
import { useServerTab } from "../server-detail/server-outlet";
import { ClientTabs } from "./client-tabs";
import "./connect.css";

/** /servers/:serverId/connect: the URL, the header, and a ready-to-paste snippet per client. */
export default function ConnectTab() {
  const { server } = useServerTab();
  const config = useQuery({
    // The snippets depend on whether the server is public (no header then).
    queryKey: ["client-config", server.id, server.public],
    queryFn: async () =>
      await bodyOf(
        api.GET("/api/servers/{serverId}/client-config", {
          params: { path: { serverId: server.id } },
        }),
      ),
  });

  if (config.isPending) return <Loading label="Loading client settings…" />;
  if (config.isError) return <LoadError error={config.error} onRetry={() => config.refetch()} />;
  const { url, sseUrl, header, clients } = config.data;
  const headerLine = header ? `${header.name}: ${header.value}` : null;

  return (
    <div className="connect">
      <section className="card" aria-labelledby="connect-endpoint">
        <h2 id="connect-endpoint">Endpoint</h2>
        <dl className="details connect-details">
          <div>
            <dt>URL</dt>
            <dd className="copy-row">
              <code>{url}</code>
              <CopyButton text={url} label="Copy URL" />
            </dd>
          </div>
          <div>
            <dt>Transport</dt>
            <dd>
              Streamable HTTP. Older clients that speak HTTP+SSE use <code>{sseUrl}</code>.
            </dd>
          </div>
          <div>
            <dt>Header</dt>
            <dd className="copy-row">
              {headerLine ? (
                <>
                  <code>{headerLine}</code>
                  <CopyButton text={headerLine} label="Copy header" />
                </>
              ) : (
                <span>None: this server is public.</span>
              )}
            </dd>
          </div>
        </dl>
        {header ? (
          <p className="connect-key-help">
            Replace <code>&lt;YOUR_API_KEY&gt;</code> with one of this server's API keys. A key is
            shown only once, when it is made: if you did not keep it,{" "}
            <Link to={`/servers/${server.id}#keys`}>create a new key on the Overview tab</Link>.
            Snippets that run code read it from the <code>MCPHOST_API_KEY</code> environment
            variable instead; a key never goes into the URL.
          </p>
        ) : (
          <p className="connect-key-help">
            <span aria-hidden="true">▲ </span>
            This server is public: clients connect without a key, so the snippets below send no
            header. <Link to={`/servers/${server.id}`}>Make it private on the Overview tab</Link>.
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="connect-clients">
        <h2 id="connect-clients">Client settings</h2>
        <p className="muted">
          Choose your client, then paste the snippet where it says. Use the arrow keys to move
          between clients.
        </p>
        <ClientTabs clients={clients} />
      </section>
    </div>
  );
}
