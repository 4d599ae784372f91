import { ApiError, createApiClient } from "@mcphost/api-client";

/** The API of the server that served this page, typed from its route schemas. */
export const api = createApiClient({ baseUrl: window.location.origin });

/** True for a failure that retrying the same request will not fix (4xx other than 408 and 429). */
export function isFinalError(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  const { status } = error;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** The server's per-field messages, several for one field joined into one line. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const { field, detail } of error.problem.errors ?? []) {
    result[field] = result[field] ? `${result[field]}; ${detail}` : detail;
  }
  return result;
}

/**
 * The parsed body of a call that succeeded. The client throws ApiError for every failure, so a
 * resolved call always carries one (except 204s, which callers simply await).
 */
export async function bodyOf<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  return data as T;
}
