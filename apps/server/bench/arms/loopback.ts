import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Arm } from "./arm.js";
import { startChild } from "./child-process.js";

const SERVER = fileURLToPath(new URL("./loopback-server.ts", import.meta.url));

/** A0: the floor, what one HTTP round trip between two Node processes costs on this machine. */
export function loopbackArm(workDir: string): Arm {
  return {
    name: "A0",
    label: "loopback floor (bare node:http)",
    async start() {
      const child = await startChild({
        command: process.execPath,
        args: ["--import", "tsx", SERVER],
        env: { PATH: process.env.PATH },
        logFile: join(workDir, "a0-loopback.log"),
        ready: /loopback listening on \d+/,
      });
      const port = /loopback listening on (\d+)/.exec(child.output())?.[1];
      return {
        url: `http://127.0.0.1:${port}/mcp`,
        headers: {},
        pid: child.pid,
        close: () => child.stop(),
      };
    },
  };
}
