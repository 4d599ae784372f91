import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Server } from "../domain/servers/server.js";
import type { ClientInfo, ConnectOptions, UpstreamConnector } from "../gateway/ports.js";

/** An initialized MCP client session with a server, opened through the gateway's connector. */
export interface McpClientSession {
  client: Client;
  /** The version both sides agreed on at `initialize`. */
  protocolVersion: string | undefined;
  /** Ends the session (and, for stdio servers in session mode, the instance made for it). */
  close(): Promise<void>;
}

/**
 * Connects an SDK `Client` to `server` the way a client of the gateway would be connected, so the
 * messages are traced like any session's (with `sessionId: null`). The one place discovery and the
 * playground meet the SDK's client, so an SDK upgrade touches this file.
 */
export async function openMcpSession(
  connector: UpstreamConnector,
  server: Server,
  client: ClientInfo,
  options: { timeoutMs: number; signal?: AbortSignal | undefined } & ConnectOptions,
): Promise<McpClientSession> {
  const ctx = { serverId: server.id, sessionId: null, client };
  const transport = await connector.open(server, ctx, { background: options.background });
  // The SDK tells HTTP transports the negotiated version through this optional hook; listening
  // there works for every transport, and the SDK exposes the version nowhere else.
  let protocolVersion: string | undefined;
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    protocolVersion = version;
    setProtocolVersion?.(version);
  };

  const sdkClient = new Client(client, { capabilities: {} });
  try {
    await sdkClient.connect(transport, { timeout: options.timeoutMs, signal: options.signal });
  } catch (err) {
    // connect closes its client when `initialize` fails, but not when the transport cannot start.
    await transport.close().catch(() => {});
    throw err;
  }
  return {
    client: sdkClient,
    get protocolVersion() {
      return protocolVersion;
    },
    close: () => sdkClient.close().catch(() => {}),
  };
}
