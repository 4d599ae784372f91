import { formatMs } from "../../lib/format";
import { VerdictBadge } from "./run-view";
import type { Run } from "./use-runs";

interface RunHistoryProps {
  runs: readonly Run[];
  shownId: number | null;
  onShow: (id: number) => void;
}

/** This visit's calls, newest first; picking one shows its result again. */
export function RunHistory({ runs, shownId, onShow }: RunHistoryProps) {
  if (runs.length === 0) return null;
  return (
    <section className="pg-history" aria-labelledby="pg-history-title">
      <h3 id="pg-history-title">History</h3>
      <p className="muted">
        The last {runs.length === 1 ? "call" : `${runs.length} calls`} of this visit; pick one to
        see its result again.
      </p>
      <ol>
        {runs.map((run) => (
          <li key={run.id}>
            <button
              type="button"
              className="secondary pg-history-item"
              aria-current={run.id === shownId ? "true" : undefined}
              onClick={() => onShow(run.id)}
            >
              <code>{run.call.method}</code>
              <span className="pg-history-target">{run.call.target}</span>
              <span className="pg-history-facts">
                {run.state === "answered" ? (
                  <span className="muted">{formatMs(run.outcome.latencyMs)}</span>
                ) : null}
                <VerdictBadge run={run} />
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
