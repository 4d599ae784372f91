import { it } from "vitest";
import { signUp } from "../support/api-client.js";
import { deployEverything } from "../support/mcp-clients.js";
import { processRuntime } from "../support/test-runtimes.js";
import { startTestServer } from "../support/test-server.js";
import { exec } from "node:child_process";
import { promisify } from "node:util";

it("scratch", async () => {
  const s = await startTestServer({ runtimesFor: (d) => ({ process: processRuntime(d) }) });
  const owner = (await signUp(s.client(), "o@example.com")).client;
  const e = await deployEverything(owner, "Everything");
  const out = await promisify(exec)(`curl -sS -N -m 3 -D - -H 'authorization: Bearer ${e.apiKey}' ${s.url}/mcp/${e.slug}/sse || true`);
  console.log(out.stdout, out.stderr);
  console.log(s.rawLogs().split("\n").filter(l => /gateway|sse|error/i.test(l)).slice(-10).join("\n"));
  await s.close();
}, 120_000);
