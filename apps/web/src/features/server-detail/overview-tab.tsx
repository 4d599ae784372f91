import { useEffect } from "react";
import { useLocation, useNavigate } from "react-router";
import { DeployProgress } from "./deploy-progress";
import { McpSessions } from "./mcp-sessions";
import { SecretOnce } from "./secret-once";
import { ServerAccess } from "./server-access";
import { ServerFacts } from "./server-facts";
import { ServerKeys } from "./server-keys";
import { useServerTab } from "./server-outlet";
import "./overview.css";

/** What the create page hands over when it navigates here: the server's first key, shown once. */
interface CreatedState {
  apiKey?: string;
}

/** /servers/:serverId: status and deploy progress, how to connect, keys and open sessions. */
export default function OverviewTab() {
  const { server } = useServerTab();
  const location = useLocation();
  const navigate = useNavigate();
  const apiKey = (location.state as CreatedState | null)?.apiKey;

  // Links such as "#keys" from the Connect tab: the router does not scroll to fragments itself.
  useEffect(() => {
    if (!location.hash) return;
    const target = document.getElementById(location.hash.slice(1));
    target?.scrollIntoView({ block: "start" });
    target?.querySelector<HTMLElement>("h2")?.focus({ preventScroll: true });
  }, [location.hash]);

  return (
    // Keyed by server: keys shown once, dialogs and the deploy history belong to one server.
    <div className="overview" key={server.id}>
      {apiKey ? (
        <SecretOnce
          title="Your server's API key"
          secret={apiKey}
          // Replacing the history entry drops the key from it, so Back cannot bring it back.
          onDone={() => navigate(location.pathname, { replace: true, state: null })}
        >
          <p>
            MCP clients send it as <code>Authorization: Bearer {apiKey.slice(0, 8)}…</code>. Lost
            it? Create another under API keys below.
          </p>
        </SecretOnce>
      ) : null}
      <div className="overview-grid">
        <ServerFacts server={server} />
        <DeployProgress server={server} />
      </div>
      <ServerAccess server={server} />
      <ServerKeys server={server} />
      <McpSessions server={server} />
    </div>
  );
}
