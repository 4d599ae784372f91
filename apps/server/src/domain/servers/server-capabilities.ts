/**
 * What a server said about itself the last time MCP Host connected to it as an MCP client: its
 * `initialize` answer and the tools, resources, resource templates and prompts it listed. The lists
 * hold the protocol's own objects (a tool with its `inputSchema`, `annotations`...) as sent.
 */
export interface ServerCapabilities {
  serverId: string;
  /** The protocol version negotiated at `initialize`. */
  protocolVersion: string | null;
  /** The server's `serverInfo` (`name`, `version`, maybe `title`, `websiteUrl`, `icons`). */
  serverInfo: Record<string, unknown> | null;
  /** The server's advertised capabilities (`tools`, `resources`, `prompts`, `logging`...). */
  capabilities: Record<string, unknown> | null;
  instructions: string | null;
  tools: unknown[];
  resources: unknown[];
  resourceTemplates: unknown[];
  prompts: unknown[];
  /** Why the last discovery failed; null when it succeeded. The lists are then the previous ones. */
  error: string | null;
  /** When discovery last ran, whether it succeeded or not (see `error`). */
  discoveredAt: Date;
  /** How many discoveries ran: a client that sees it grow knows the data was refreshed. */
  revision: number;
}

/** What one successful discovery found. */
export type DiscoveredCapabilities = Pick<
  ServerCapabilities,
  | "protocolVersion"
  | "serverInfo"
  | "capabilities"
  | "instructions"
  | "tools"
  | "resources"
  | "resourceTemplates"
  | "prompts"
>;

export interface ServerCapabilitiesRepository {
  find(serverId: string): Promise<ServerCapabilities | undefined>;
  /** Replaces everything with what was found, clears `error` and bumps `revision`. */
  saveDiscovered(
    serverId: string,
    found: DiscoveredCapabilities,
    at: Date,
  ): Promise<ServerCapabilities>;
  /** Keeps what was found before (empty lists the first time), sets `error`, bumps `revision`. */
  saveFailure(serverId: string, error: string, at: Date): Promise<ServerCapabilities>;
}
