import { type ReactNode, useEffect, useId, useRef } from "react";
import { CopyButton } from "../../components/copy-button";

interface SecretOnceProps {
  title: string;
  secret: string;
  /** What the secret is for, e.g. how to send it. */
  children?: ReactNode;
  onDone: () => void;
}

/**
 * A secret the API returns only once (a server key on creation or rotation), highlighted with a
 * copy button until the reader says they are done. Its heading takes focus when it appears, so
 * keyboard and screen-reader users land on it rather than missing it.
 */
export function SecretOnce({ title, secret, children, onDone }: SecretOnceProps) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="secret-once" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <p className="secret-warning">
        <span aria-hidden="true">⚠ </span>
        <strong>Copy this key now: it is not shown again.</strong>
      </p>
      <div className="secret-value">
        <code>{secret}</code>
        <CopyButton text={secret} label="Copy key" />
      </div>
      {children}
      <div className="actions">
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
