import type { Actor } from "../domain/authz/actor.js";
import type { Logger } from "../lib/logger.js";

/** Per-request values set by middleware and read by handlers. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set by the authenticate middleware when the request carries a valid credential. */
    actor: Actor | undefined;
  };
}
