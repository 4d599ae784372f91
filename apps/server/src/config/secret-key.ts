import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../lib/logger.js";
import type { Config } from "./config.js";

const KEY_FILE = "secret-key";

/**
 * Returns the secret key: the configured one, or on the embedded default one generated on first
 * start and kept in the data folder (mode 0600) so sessions survive restarts.
 * `loadConfig` has already refused to start without a key where generating one would be wrong
 * (a shared PostgreSQL, or production).
 */
export async function resolveSecretKey(config: Config, logger: Logger): Promise<string> {
  if (config.secretKey) return config.secretKey;
  const path = join(config.dataDir, KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing !== undefined) return existing;
  await mkdir(config.dataDir, { recursive: true });
  const generated = randomBytes(48).toString("base64url");
  // "wx" fails if another process created the file meanwhile; then use theirs.
  try {
    await writeFile(path, `${generated}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST")
      return (await readFile(path, "utf8")).trim();
    throw err;
  }
  logger.info(
    { path },
    "MCPHOST_SECRET_KEY is not set: generated a secret key and stored it in the data folder",
  );
  return generated;
}

/** The kept key, undefined if there is no file; a damaged file stops startup rather than weaken signing. */
async function readKeyFile(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const key = text.trim();
  if (key.length < 32) {
    throw new Error(
      `${path} holds ${key.length} characters; a secret key needs at least 32. ` +
        "Restore the file, or delete it to generate a new key (this signs everyone out).",
    );
  }
  return key;
}
