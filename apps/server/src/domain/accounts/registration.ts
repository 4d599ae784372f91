import type { Store } from "../store.js";

const SETTING_KEY = "registration_open";

/**
 * Registration is open when the operator has not closed it in configuration and no admin has closed
 * it at run time. (The very first account can always register: someone has to be admin.)
 */
export async function isRegistrationOpen(
  store: Pick<Store, "settings">,
  allowedByConfig: boolean,
): Promise<boolean> {
  if (!allowedByConfig) return false;
  return (await store.settings.get<boolean>(SETTING_KEY)) ?? true;
}

export async function setRegistrationOpen(store: Pick<Store, "settings">, open: boolean) {
  await store.settings.set(SETTING_KEY, open);
}
