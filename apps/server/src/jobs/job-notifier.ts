import { EventEmitter } from "node:events";
import pg from "pg";

/**
 * Wakes idle workers the moment a job is enqueued, instead of waiting for a poll. In one process an
 * event emitter does it; across replicas PostgreSQL's LISTEN/NOTIFY carries the same signal.
 */
export interface JobNotifier {
  notify(): void;
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = "mcphost_jobs";

export function createLocalJobNotifier(): JobNotifier {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    notify: () => emitter.emit("job"),
    subscribe(listener) {
      emitter.on("job", listener);
      return () => emitter.off("job", listener);
    },
    close: async () => {
      emitter.removeAllListeners();
    },
  };
}

/** LISTEN on a dedicated connection; NOTIFY through it too. Local listeners are woken directly. */
export async function createPostgresJobNotifier(
  url: string,
  onError: (err: unknown) => void,
): Promise<JobNotifier> {
  const local = createLocalJobNotifier();
  const client = new pg.Client({ connectionString: url });
  client.on("error", onError);
  client.on("notification", () => local.notify());
  await client.connect();
  await client.query(`listen ${CHANNEL}`);
  return {
    notify() {
      // Our own listeners hear the NOTIFY too, but only after a round trip; wake them now.
      local.notify();
      client.query(`notify ${CHANNEL}`).catch(onError);
    },
    subscribe: local.subscribe,
    async close() {
      await local.close();
      await client.end().catch(() => {});
    },
  };
}
