import { createRequire } from "node:module";

/** The server package's version, shown in the API document and logs. */
export const VERSION: string =
  (createRequire(import.meta.url)("../package.json") as { version?: string }).version ?? "0.0.0";
