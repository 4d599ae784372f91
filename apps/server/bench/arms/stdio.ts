import { StdioSessionClient } from "../stdio-client.js";
import type { Arm } from "./arm.js";
import { EVERYTHING } from "./direct.js";

/**
 * A4: the client speaks stdio to server-everything (`dist/index.js stdio`) through the SDK, as an
 * MCP host on the same machine does. Each session is its own server process, like a host's; the
 * measurements use one session per round, so the process is started before the timer runs.
 */
export function stdioArm(): Arm {
  return {
    name: "A4",
    label: "direct stdio to server-everything (SDK client)",
    async start() {
      const client = new StdioSessionClient(process.execPath, [EVERYTHING, "stdio"]);
      return { client, close: () => client.close() };
    },
  };
}
