import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Arm } from "./arm.js";
import { startScriptServer } from "./child-process.js";

const SERVER = fileURLToPath(new URL("./loopback-server.ts", import.meta.url));

/** A0: the floor, what one HTTP round trip between two Node processes costs on this machine. */
export function loopbackArm(workDir: string): Arm {
  return {
    name: "A0",
    label: "loopback floor (bare node:http)",
    async start() {
      const { child, port } = await startScriptServer({
        script: SERVER,
        what: "loopback",
        logFile: join(workDir, "a0-loopback.log"),
      });
      return {
        url: `http://127.0.0.1:${port}/mcp`,
        headers: {},
        pid: child.pid,
        close: () => child.stop(),
      };
    },
  };
}
