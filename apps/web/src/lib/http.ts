/** One offending request field, as the server names it (`email`, `password`, `scopes.1`, ...). */
export interface FieldError {
  field: string;
  detail: string;
}

/** An RFC 9457 problem document, as every API error is answered. */
export interface Problem {
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  errors?: FieldError[];
}

/** A failed API call. `status` 0 means the server could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    /** From Retry-After, on 429 and 503 answers. */
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail);
    this.name = "ApiError";
  }

  get status(): number {
    return this.problem.status;
  }
}

/**
 * Calls the API with the session cookie and returns the parsed JSON body (`undefined` for 204).
 * Any answer other than 2xx is thrown as an ApiError carrying the server's problem document.
 */
export async function apiRequest<T>(
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({
      title: "Network error",
      status: 0,
      detail: "Could not reach the server. Check your connection and try again.",
      code: "NETWORK_ERROR",
    });
  }
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  throw new ApiError(await problemOf(res), retryAfterOf(res));
}

async function problemOf(res: Response): Promise<Problem> {
  // A proxy in front of the server may answer with its own HTML page instead of a problem.
  if (/json/.test(res.headers.get("content-type") ?? "")) {
    try {
      return (await res.json()) as Problem;
    } catch {
      // fall through to a generic problem
    }
  }
  return {
    title: res.statusText || "Request failed",
    status: res.status,
    detail: `The server answered ${res.status} ${res.statusText}`.trim(),
    code: "UNEXPECTED_RESPONSE",
  };
}

function retryAfterOf(res: Response): number | undefined {
  const value = Number(res.headers.get("retry-after"));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
