import { useServerTab } from "../server-detail/server-outlet";
import { LogViewer } from "./log-viewer";

/** /servers/:serverId/logs. Keyed by server, so moving to another server starts a fresh tail. */
export default function LogsTab() {
  const { server } = useServerTab();
  return <LogViewer key={server.id} serverId={server.id} slug={server.slug} name={server.name} />;
}
