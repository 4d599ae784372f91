/**
 * Domain errors carry a stable string code. The HTTP edge maps codes to statuses in one table
 * (http/problem.ts); domain code never knows about HTTP.
 */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "INVALID_CREDENTIALS"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "INSUFFICIENT_SCOPE"
  | "CSRF_REJECTED"
  | "NOT_FOUND"
  | "EMAIL_TAKEN"
  | "REGISTRATION_CLOSED"
  | "RATE_LIMITED"
  | "LAST_OWNER"
  | "LAST_ADMIN"
  | "ALREADY_MEMBER"
  | "INVITATION_EXISTS"
  | "ORG_HAS_SERVERS"
  | "CONFLICT"
  | "QUOTA_EXCEEDED"
  | "FILE_TOO_LARGE"
  | "FILES_QUOTA_EXCEEDED"
  | "SERVICE_UNAVAILABLE";

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `email` or `scopes.1`. */
  field: string;
  detail: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { fields?: FieldIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const forbidden = (message: string) => new DomainError("FORBIDDEN", message);
export const conflict = (code: ErrorCode, message: string) => new DomainError(code, message);
