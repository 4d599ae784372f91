import { ApiError } from "@mcphost/api-client";

interface ErrorAlertProps {
  error: unknown;
  /** Fields whose errors the form already shows next to the inputs; the rest are listed here. */
  shownFields?: readonly string[];
}

/**
 * The live region for a failed action. It stays in the page while empty so that screen readers
 * announce the message as soon as it appears.
 */
export function ErrorAlert({ error, shownFields = [] }: ErrorAlertProps) {
  return (
    <div role="alert" className="error-alert">
      {error ? <ErrorMessage error={error} shownFields={shownFields} /> : null}
    </div>
  );
}

function ErrorMessage({ error, shownFields }: { error: unknown; shownFields: readonly string[] }) {
  if (!(error instanceof ApiError)) {
    return <p>Something went wrong. Reload the page and try again.</p>;
  }
  const { detail, status, requestId, errors = [] } = error.problem;
  const otherFields = errors.filter((e) => !shownFields.includes(e.field));
  return (
    <>
      <p>{detail}</p>
      {otherFields.length > 0 ? (
        <ul>
          {otherFields.map((e) => (
            <li key={`${e.field}:${e.detail}`}>{e.field ? `${e.field}: ${e.detail}` : e.detail}</li>
          ))}
        </ul>
      ) : null}
      {error.retryAfterSeconds ? (
        <p>You can try again in {formatSeconds(error.retryAfterSeconds)}.</p>
      ) : null}
      {status >= 500 && requestId ? <p>Request id: {requestId}</p> : null}
    </>
  );
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
