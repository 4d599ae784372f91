import { ApiError } from "@mcphost/api-client";
import { ErrorAlert } from "../../components/error-alert";

/**
 * A failed change to a server's keys or access. A 403 FORBIDDEN there usually means the reader may
 * use the server but not manage it; the server's detail alone does not say who can, so add that.
 */
export function ManageError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 403 && error.problem.code === "FORBIDDEN") {
    return (
      <div role="alert" className="error-alert">
        <p>
          <span aria-hidden="true">⚠ </span>
          {error.problem.detail}
        </p>
        <p>
          A server's keys and access are managed by its owner, or by an admin or owner of its
          organization. Ask one of them.
        </p>
      </div>
    );
  }
  return <ErrorAlert error={error} />;
}
