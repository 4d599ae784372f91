import type { EventStore } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * The last events of one session's SSE streams, so a client that lost its connection resumes
 * with `Last-Event-ID` without missing messages. Bounded: a client gone longer than `capacity`
 * events replays only what is left.
 */
export class MemoryEventStore implements EventStore {
  private readonly events: Array<{ id: string; streamId: string; message: JSONRPCMessage }> = [];
  private seq = 0;

  constructor(private readonly capacity = 200) {}

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}_${++this.seq}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > this.capacity) this.events.shift();
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const cut = eventId.lastIndexOf("_");
    return cut > 0 ? eventId.slice(0, cut) : undefined;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const streamId = (await this.getStreamIdForEventId(lastEventId)) ?? "";
    const after = Number(lastEventId.slice(lastEventId.lastIndexOf("_") + 1));
    for (const event of this.events) {
      if (event.streamId !== streamId) continue;
      const seq = Number(event.id.slice(event.id.lastIndexOf("_") + 1));
      // Priming events carry no message (an empty object): nothing to replay.
      if (seq > after && Object.keys(event.message).length > 0) await send(event.id, event.message);
    }
    return streamId;
  }
}
