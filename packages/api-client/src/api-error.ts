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

/** The error every failed call throws: the server's problem, or a stand-in when it sent none. */
export async function apiErrorOf(res: Response): Promise<ApiError> {
  return new ApiError(await problemOf(res), retryAfterOf(res));
}

/** The stand-in problem for a server that could not be reached at all. */
export function networkError(): ApiError {
  return new ApiError({
    title: "Network error",
    status: 0,
    detail: "Could not reach the server. Check your connection and try again.",
    code: "NETWORK_ERROR",
  });
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
