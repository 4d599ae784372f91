import { QueryClient } from "@tanstack/react-query";
import { isFinalError } from "./api";

/** Reads retry twice unless the answer is final; writes never retry on their own. */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => !isFinalError(error) && failures < 2,
        staleTime: 5_000,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
