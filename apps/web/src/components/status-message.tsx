import type { ReactNode } from "react";

/**
 * The polite live region for "saved", "invited", "revoked". Like ErrorAlert it stays in the page
 * while empty, so a screen reader announces the text when it appears. The message stays until the
 * next action replaces it: a note that vanishes after a few seconds is easy to miss.
 */
export function StatusMessage({ children }: { children?: ReactNode }) {
  return (
    <p role="status" className="status-message">
      {children ? (
        <>
          <span aria-hidden="true">✓ </span>
          {children}
        </>
      ) : null}
    </p>
  );
}
