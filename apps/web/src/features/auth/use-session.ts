import { ApiError, type Me } from "@mcphost/api-client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../lib/api";

export const ME_KEY = ["me"] as const;

/** The signed-in user, or `null` when there is no valid session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return (await api.GET("/api/me")).data ?? null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** The current session as one query every view shares. */
export function useSession() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000 });
}

/** The signed-in user; only for views under the signed-in layout, which guarantees one. */
export function useMe(): Me {
  const { data } = useSession();
  if (!data) throw new Error("useMe() outside a signed-in view");
  return data;
}

/** Forgets every cached answer and the session: after sign-out, or when the session expired. */
export function useSignedOut() {
  const client = useQueryClient();
  return () => {
    // The session query is set in place rather than cleared and made anew: the signed-in gate
    // observes that query object, and hears of the change (and leaves for /login) only this way.
    client.setQueryData(ME_KEY, null);
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
  };
}
