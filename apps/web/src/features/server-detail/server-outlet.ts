import type { Server } from "@mcphost/api-client";
import { useOutletContext } from "react-router";

/** What the server page hands each of its tabs. */
export interface ServerOutlet {
  server: Server;
}

/** The server whose tab this is; only inside the server page's tabs. */
export function useServerTab(): ServerOutlet {
  return useOutletContext<ServerOutlet>();
}
