import { useId } from "react";
import type { PlaygroundCall } from "./use-runs";

/** What every panel needs to send a call. */
export interface Runner {
  run: (call: PlaygroundCall) => void;
  /** A call is under way; one at a time keeps the result area about one thing. */
  busy: boolean;
  /** Why calls cannot be sent now (the server is not running), or null. */
  blocked: string | null;
}

interface RunButtonProps {
  label: string;
  runner: Runner;
  /** Another reason to hold the button (invalid raw JSON), shown elsewhere next to its cause. */
  disabled?: boolean;
}

/** The submit button of a panel's form, saying why it is off when the server cannot take calls. */
export function RunButton({ label, runner, disabled = false }: RunButtonProps) {
  const reasonId = useId();
  return (
    <div className="actions pg-run-actions">
      <button
        type="submit"
        disabled={disabled || runner.busy || runner.blocked !== null}
        aria-busy={runner.busy || undefined}
        aria-describedby={runner.blocked ? reasonId : undefined}
      >
        {runner.busy ? "Running…" : label}
      </button>
      {runner.blocked ? (
        <p id={reasonId} className="pg-blocked">
          <span aria-hidden="true">■ </span>
          {runner.blocked}
        </p>
      ) : null}
    </div>
  );
}
