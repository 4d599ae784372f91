import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorCode, FieldIssue } from "../lib/errors.js";

/** Codes the HTTP edge produces itself, beside the domain's. */
export type HttpErrorCode =
  | "MALFORMED_JSON"
  | "PAYLOAD_TOO_LARGE"
  | "ROUTE_NOT_FOUND"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "INTERNAL_ERROR";

export type ProblemCode = ErrorCode | HttpErrorCode;

/** The one table from error code to HTTP status and title. */
const PROBLEMS: Record<ProblemCode, { status: ContentfulStatusCode; title: string }> = {
  VALIDATION_FAILED: { status: 400, title: "Request validation failed" },
  MALFORMED_JSON: { status: 400, title: "Request body is not valid JSON" },
  INVALID_CREDENTIALS: { status: 401, title: "Invalid credentials" },
  UNAUTHENTICATED: { status: 401, title: "Authentication required" },
  FORBIDDEN: { status: 403, title: "Forbidden" },
  INSUFFICIENT_SCOPE: { status: 403, title: "Insufficient scope" },
  CSRF_REJECTED: { status: 403, title: "Cross-site request rejected" },
  REGISTRATION_CLOSED: { status: 403, title: "Registration is closed" },
  QUOTA_EXCEEDED: { status: 403, title: "Quota exceeded" },
  NOT_FOUND: { status: 404, title: "Not found" },
  ROUTE_NOT_FOUND: { status: 404, title: "No such route" },
  EMAIL_TAKEN: { status: 409, title: "Email already registered" },
  LAST_OWNER: { status: 409, title: "Organization would have no owner" },
  LAST_ADMIN: { status: 409, title: "Instance would have no admin" },
  ALREADY_MEMBER: { status: 409, title: "Already a member" },
  INVITATION_EXISTS: { status: 409, title: "Already invited" },
  ORG_HAS_SERVERS: { status: 409, title: "Organization still owns servers" },
  CONFLICT: { status: 409, title: "Conflict" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Request body too large" },
  FILE_TOO_LARGE: { status: 413, title: "File too large" },
  FILES_QUOTA_EXCEEDED: { status: 413, title: "Files quota exceeded" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  INTERNAL_ERROR: { status: 500, title: "Internal server error" },
  SERVICE_UNAVAILABLE: { status: 503, title: "Service unavailable" },
};

export function statusOf(code: ProblemCode): ContentfulStatusCode {
  return PROBLEMS[code].status;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Renders an RFC 9457 problem document. `errors` lists offending fields for validation failures. */
export function problem(
  c: Context,
  code: ProblemCode,
  detail: string,
  extra: { errors?: FieldIssue[]; headers?: Record<string, string> } = {},
): Response {
  const { status, title } = PROBLEMS[code];
  const body = {
    type: `urn:mcphost:problem:${code.toLowerCase().replaceAll("_", "-")}`,
    title,
    status,
    detail,
    instance: c.req.path,
    code,
    requestId: c.get("requestId") as string | undefined,
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": PROBLEM_CONTENT_TYPE,
      "x-request-id": body.requestId ?? "",
      ...extra.headers,
    },
  });
}
