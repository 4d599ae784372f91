import createClient, { type Middleware } from "openapi-fetch";
import { apiErrorOf, networkError } from "./api-error.js";
import type { paths } from "./schema.js";

export interface ApiClientOptions {
  /** Where the API is served; "" (the default) means this page's own origin. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer ...` (a personal access token); browsers use the cookie instead. */
  token?: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * Turns every answer other than 2xx into a thrown ApiError carrying the server's problem document,
 * so callers (and react-query) see one kind of failure with the field errors attached.
 */
const throwProblems: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await apiErrorOf(response);
    return undefined;
  },
  onError() {
    return networkError();
  },
};

/**
 * A client whose paths, parameters, bodies and answers are typed from the server's own route
 * schemas (see scripts/generate.ts). Calls resolve to `{ data, response }`; failures throw ApiError.
 */
export function createApiClient(options: ApiClientOptions = {}) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? "",
    credentials: "same-origin",
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(throwProblems);
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;
