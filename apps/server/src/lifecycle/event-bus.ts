import { EventEmitter } from "node:events";
import type { ServerEvent, ServerEventBus, ServerLogLine } from "../domain/servers/ports.js";

/**
 * Server events and log lines, published within this process. Live views (SSE) subscribe here.
 * Several replicas will need a shared channel (PostgreSQL NOTIFY); this is the seam for it.
 */
export function createInProcessEventBus(): ServerEventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publishEvent: (event: ServerEvent) => emitter.emit("event", event),
    publishLogs: (lines: ServerLogLine[]) => {
      const serverId = lines[0]?.serverId;
      if (serverId) emitter.emit(`logs:${serverId}`, lines);
    },
    onEvent(listener) {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
    onLogs(serverId, listener) {
      emitter.on(`logs:${serverId}`, listener);
      return () => emitter.off(`logs:${serverId}`, listener);
    },
  };
}
