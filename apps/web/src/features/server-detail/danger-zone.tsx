import type { Server } from "@mcphost/api-client";
import { DeleteServerButton } from "../servers/delete-server";

/** The end of the settings: deleting the server, after a confirmation that names what goes. */
export function DangerZone({ server }: { server: Server }) {
  return (
    <section className="danger-zone" aria-labelledby="danger-zone-title">
      <h2 id="danger-zone-title">Danger zone</h2>
      <div className="danger-zone-row">
        <div>
          <p className="danger-zone-what">Delete this server</p>
          <p className="muted">
            Stops it and removes its instances, keys, files and logs. This cannot be undone.
          </p>
        </div>
        <DeleteServerButton server={server} label="Delete server" />
      </div>
    </section>
  );
}
