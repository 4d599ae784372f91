import type { ServerEventBus, ServerRepository } from "../domain/servers/ports.js";
import type { Server } from "../domain/servers/server.js";
import type {
  DiscoveredCapabilities,
  ServerCapabilities,
  ServerCapabilitiesRepository,
} from "../domain/servers/server-capabilities.js";
import type { ServerStatus } from "../domain/servers/server-status.js";
import type { GatewayObserver, UpstreamConnector } from "../gateway/ports.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { type McpClientSession, openMcpSession } from "./mcp-client.js";

/** The `clientInfo.name` of discovery's connections, as servers and traces see it. */
export const DISCOVERY_CLIENT_NAME = "mcphost-discovery";

export interface DiscoveryOptions {
  /** How long list_changed notifications are gathered before one rediscovery runs. */
  debounceMs: number;
  /**
   * Least time between the starts of two discoveries a list_changed prompts. Some servers
   * announce a change in every new session (their tools depend on the client), and each
   * discovery is a session of its own with a round of list requests: this bounds the cost.
   */
  minIntervalMs: number;
  /** Limit for `initialize` and for each list request. */
  timeoutMs: number;
  /** Most pages read of each list; a server that pages forever is cut off there. */
  maxPages: number;
}

export const DEFAULT_DISCOVERY: DiscoveryOptions = {
  debounceMs: 1500,
  minIntervalMs: 10_000,
  timeoutMs: 30_000,
  maxPages: 50,
};

const LIST_CHANGED = new Set([
  "notifications/tools/list_changed",
  "notifications/resources/list_changed",
  "notifications/prompts/list_changed",
]);

/** Statuses in which an instance runs that can answer. */
const DISCOVERABLE = new Set<ServerStatus>(["running", "unhealthy"]);

/** Follows `nextCursor` until the list ends, a cursor repeats, or `maxPages` pages were read. */
async function listAll<T>(
  maxPages: number,
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const result = await page(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return items;
}

async function inspect(session: McpClientSession, options: DiscoveryOptions, signal: AbortSignal) {
  const { client } = session;
  const capabilities = client.getServerCapabilities() ?? {};
  const req = { timeout: options.timeoutMs, signal };
  const params = (cursor: string | undefined) => (cursor ? { cursor } : undefined);
  const found: DiscoveredCapabilities = {
    protocolVersion: session.protocolVersion ?? null,
    serverInfo: (client.getServerVersion() as Record<string, unknown> | undefined) ?? null,
    capabilities: capabilities as Record<string, unknown>,
    instructions: client.getInstructions() ?? null,
    tools: capabilities.tools
      ? await listAll(options.maxPages, async (c) => {
          const r = await client.listTools(params(c), req);
          return { items: r.tools, nextCursor: r.nextCursor };
        })
      : [],
    resources: capabilities.resources
      ? await listAll(options.maxPages, async (c) => {
          const r = await client.listResources(params(c), req);
          return { items: r.resources, nextCursor: r.nextCursor };
        })
      : [],
    resourceTemplates: capabilities.resources
      ? await listAll(options.maxPages, async (c) => {
          const r = await client.listResourceTemplates(params(c), req);
          return { items: r.resourceTemplates, nextCursor: r.nextCursor };
        })
      : [],
    prompts: capabilities.prompts
      ? await listAll(options.maxPages, async (c) => {
          const r = await client.listPrompts(params(c), req);
          return { items: r.prompts, nextCursor: r.nextCursor };
        })
      : [],
  };
  return found;
}

type Outcome = Promise<ServerCapabilities | undefined>;

const errorText = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/**
 * Learns what each server offers by connecting to it as an MCP client, and keeps that in
 * `server_capabilities`: when a server becomes `running`, and shortly after it announces that a
 * list changed. One discovery at a time per server; asking again while one runs queues exactly one
 * more. Never throws to its callers: a failure keeps the previous lists and records `error`.
 */
export function createCapabilityDiscovery(deps: {
  servers: Pick<ServerRepository, "findById">;
  capabilities: ServerCapabilitiesRepository;
  connector: UpstreamConnector;
  bus: Pick<ServerEventBus, "onEvent">;
  clock: Clock;
  logger: Logger;
  /** MCP Host's version, sent as `clientInfo.version`. */
  version: string;
  options?: Partial<DiscoveryOptions>;
}) {
  const { servers, capabilities, clock, logger } = deps;
  const options = { ...DEFAULT_DISCOVERY, ...deps.options };
  const clientInfo = { name: DISCOVERY_CLIENT_NAME, version: deps.version };

  /** Per server: the discovery running now, and the one queued behind it. */
  const slots = new Map<string, { current: Outcome; next?: Outcome }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const lastStarted = new Map<string, number>();
  /**
   * Aborted by `stop`, with every discovery under way (its `initialize` too), so shutdown does
   * not wait on a slow or silent server.
   */
  let halt = new AbortController();
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  async function connectAndInspect(server: Server) {
    // In the background: the warm spare of a stdio server in session mode is for the user, who
    // connects the moment the server turns `running`, just as discovery starts; discovery talks
    // to the main instance instead.
    const { signal } = halt;
    const session = await openMcpSession(deps.connector, server, clientInfo, {
      ...options,
      background: true,
      signal,
    });
    try {
      return await inspect(session, options, signal);
    } finally {
      await session.close();
    }
  }

  async function runOnce(serverId: string): Outcome {
    lastStarted.set(serverId, Date.now());
    try {
      const server = await servers.findById(serverId);
      if (!server || stopped) return undefined;
      if (!DISCOVERABLE.has(server.status)) return await capabilities.find(serverId);
      try {
        const found = await connectAndInspect(server);
        return await capabilities.saveDiscovered(serverId, found, clock.now());
      } catch (err) {
        if (stopped) return undefined; // cut off by `stop`: not the server's fault
        logger.warn({ err, serverId }, "capability discovery failed");
        return await capabilities.saveFailure(serverId, errorText(err), clock.now());
      }
    } catch (err) {
      // The database, or the server was deleted meanwhile: nothing to keep.
      logger.warn({ err, serverId }, "could not store discovered capabilities");
      return undefined;
    }
  }

  function begin(serverId: string): Outcome {
    const slot: { current: Outcome; next?: Outcome } = { current: Promise.resolve(undefined) };
    const run = runOnce(serverId).finally(() => {
      if (!slot.next && slots.get(serverId) === slot) slots.delete(serverId);
    });
    slot.current = run;
    slots.set(serverId, slot);
    return run;
  }

  /**
   * Discovers the server now, or right after the discovery already running for it (whose lists
   * may predate the change that prompted this call). Resolves to what is stored afterwards.
   */
  function discover(serverId: string): Outcome {
    const slot = slots.get(serverId);
    if (!slot) return begin(serverId);
    slot.next ??= slot.current.then(() => begin(serverId));
    return slot.next;
  }

  /** The first notification of a burst sets the time; the others join it. */
  function scheduleRediscovery(serverId: string) {
    if (stopped || timers.has(serverId)) return;
    const earliest = (lastStarted.get(serverId) ?? 0) + options.minIntervalMs;
    const delay = Math.max(options.debounceMs, earliest - Date.now());
    const timer = setTimeout(() => {
      timers.delete(serverId);
      void discover(serverId);
    }, delay);
    timer.unref();
    timers.set(serverId, timer);
  }

  /** For the gateway's observer chain: rediscovers a server shortly after a list changes. */
  const listChangedWatcher: GatewayObserver = {
    fromClient() {},
    fromServer(ctx, message) {
      // Servers may announce changes right after `initialize`; counting those from our own
      // connections would rediscover forever.
      if (ctx.client?.name === DISCOVERY_CLIENT_NAME) return;
      if ("method" in message && !("id" in message) && LIST_CHANGED.has(message.method)) {
        scheduleRediscovery(ctx.serverId);
      }
    },
    sessionEnded() {},
  };

  return {
    discover,
    listChangedWatcher,
    /** Discovers each server that becomes `running` (the status events of server activity). */
    start() {
      stopped = false;
      if (halt.signal.aborted) halt = new AbortController();
      unsubscribe ??= deps.bus.onEvent((event) => {
        if (event.kind === "status" && event.details.to === "running")
          void discover(event.serverId);
      });
    },
    /** Stops listening, ends the discoveries under way (keeping what is stored) and waits for them. */
    async stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = undefined;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      halt.abort();
      await Promise.all([...slots.values()].flatMap((s) => [s.current, s.next]));
    },
  };
}

export type CapabilityDiscovery = ReturnType<typeof createCapabilityDiscovery>;
