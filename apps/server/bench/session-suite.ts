import { startEverythingServer } from "./arms/direct.js";
import type { GatewayHost } from "./arms/gateway-host.js";
import type { Settings } from "./settings.js";
import type { SuiteOutcome } from "./suite.js";
import { memoryGatewayOn, startMemoryGateway } from "./workloads/memory-gateway.js";
import { abandonedSessions, idleSessions, invalidRequests } from "./workloads/session-memory.js";

export type SessionWorkloads = Pick<
  SuiteOutcome["workloads"],
  "idleSessions" | "invalidRequests" | "abandonedSessions"
>;

/**
 * The memory and session-lifetime workloads, in front of an upstream of their own: thousands of
 * sessions left open must not weigh on the arms' figures. Idle sessions and invalid requests use
 * a server of their own on the shared gateway host, after the arms are measured; abandoned
 * sessions need a host of their own, with a short idle timeout.
 */
export async function runSessionWorkloads(options: {
  settings: Settings;
  gateway: GatewayHost;
  idle: boolean;
  invalid: boolean;
  abandoned: boolean;
  workDir: string;
  log: (line: string) => void;
}): Promise<SessionWorkloads> {
  const { settings, log } = options;
  const out: SessionWorkloads = {};
  if (!options.idle && !options.invalid && !options.abandoned) return out;
  log("starting server-everything (Streamable HTTP), the upstream of the session workloads");
  const upstream = await startEverythingServer(options.workDir, "sessions-everything");
  try {
    if (options.idle || options.invalid) {
      const gateway = await memoryGatewayOn(await options.gateway.get(), upstream.url);
      try {
        if (options.invalid) {
          log("(f) invalid requests: memory retained");
          out.invalidRequests = await invalidRequests(gateway, {
            ...settings.invalidRequests,
            log,
          });
        }
        if (options.idle) {
          log(`(g) idle sessions: memory at ${settings.idleSessions.levels.join("/")} sessions`);
          out.idleSessions = await idleSessions(gateway, { ...settings.idleSessions, log });
        }
      } finally {
        await gateway.stop();
      }
    }
    if (options.abandoned) out.abandonedSessions = await runAbandoned(options, upstream.url);
  } finally {
    await upstream.close();
  }
  return out;
}

/** (h) on a gateway whose idle timeout is `idleSeconds`. */
export async function runAbandoned(
  options: { settings: Settings; workDir: string; log: (line: string) => void },
  upstreamUrl: string,
) {
  const { sessions, idleSeconds } = options.settings.abandonedSessions;
  options.log(`(h) abandoned sessions: ${sessions}, idle timeout ${idleSeconds} s`);
  const gateway = await startMemoryGateway({
    workDir: options.workDir,
    name: "abandoned",
    upstreamUrl,
    env: { MCPHOST_SESSION_IDLE_SECONDS: String(idleSeconds) },
  });
  try {
    return await abandonedSessions(gateway, { sessions, idleSeconds, log: options.log });
  } finally {
    await gateway.stop();
  }
}
