import { randomBase32 } from "../../lib/ids.js";
import type { Store } from "../store.js";

const SETTING_KEY = "installation_id";

/**
 * This installation's id, made once and kept in the database, so every replica of one installation
 * shares it and two installations on one host differ.
 */
export async function ensureInstallationId(store: Pick<Store, "settings">): Promise<string> {
  const existing = await store.settings.get<string>(SETTING_KEY);
  if (existing) return existing;
  await store.settings.setIfAbsent(SETTING_KEY, `mch-${randomBase32(12)}`);
  return (await store.settings.get<string>(SETTING_KEY)) as string;
}
