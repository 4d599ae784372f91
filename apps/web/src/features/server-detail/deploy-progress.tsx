import type { Server } from "@mcphost/api-client";
import { useId } from "react";
import { Link } from "react-router";
import { Loading } from "../../components/states";
import { formatRelative, formatTime } from "../../lib/format";
import {
  type AttemptKind,
  type DeployStep,
  deploySteps,
  type DeployProgress as Progress,
  type StepState,
} from "./deploy-steps";
import { useDeployHistory } from "./use-deploy-history";

/** Each state as a word and a shape, so it never rests on color alone. */
const STATES: Record<StepState, { icon: string; text: string }> = {
  done: { icon: "✓", text: "Done" },
  active: { icon: "◌", text: "In progress" },
  failed: { icon: "✕", text: "Failed" },
  pending: { icon: "○", text: "Pending" },
  cancelled: { icon: "■", text: "Stopped" },
};

const KIND: Record<AttemptKind, string> = {
  deploy: "Deploy",
  redeploy: "Redeploy",
  start: "Start",
  restart: "Restart",
};

/**
 * The latest deploy, start or restart as an ordered list of steps, live: which are done, which is
 * under way (with the lifecycle's latest log line), and where it failed and why.
 */
export function DeployProgress({ server }: { server: Server }) {
  const titleId = useId();
  const history = useDeployHistory(server.id);
  const progress = deploySteps(server, history.changes, history.systemLines);
  // Every status but `created` has a stored change, so an empty history means it has not arrived.
  const loading = history.changes.length === 0 && server.status !== "created";

  return (
    <section className="card deploy-progress" aria-labelledby={titleId}>
      <h2 id={titleId}>Deploy steps</h2>
      {loading ? (
        history.stream === "connecting" || history.stream === "open" ? (
          <Loading label="Loading the deploy history…" />
        ) : (
          <p className="muted">The deploy history could not be loaded; it retries on its own.</p>
        )
      ) : progress ? (
        <Steps progress={progress} serverId={server.id} />
      ) : (
        <p className="muted">Not deployed yet: start the server to deploy it.</p>
      )}
      {history.stream === "reconnecting" && !loading ? (
        <p className="muted" role="status">
          Reconnecting to live updates…
        </p>
      ) : null}
    </section>
  );
}

function Steps({ progress, serverId }: { progress: Progress; serverId: string }) {
  const { kind, outcome, startedAt, steps } = progress;
  const failed = steps.find((s) => s.state === "failed");
  const active = steps.find((s) => s.state === "active");
  const summary =
    outcome === "failed"
      ? `${KIND[kind]} failed at “${failed?.label}”.`
      : outcome === "running"
        ? `${KIND[kind]} finished: the server is running.`
        : outcome === "unhealthy"
          ? `${KIND[kind]} finished, but the server is unhealthy.`
          : outcome === "stopped"
            ? steps.at(-1)?.state === "done"
              ? `Stopped since. The last ${KIND[kind].toLowerCase()} had finished.`
              : `${KIND[kind]} was stopped before it finished.`
            : `${KIND[kind]} in progress: ${active?.label ?? "working"}.`;

  return (
    <>
      {/* Polite, so each step reached is announced without interrupting. */}
      <p role="status" className={`deploy-summary outcome-${outcome}`}>
        {summary}{" "}
        {startedAt ? (
          <span className="muted">
            Began{" "}
            <time dateTime={startedAt} title={formatTime(startedAt)}>
              {formatRelative(startedAt)}
            </time>
            .
          </span>
        ) : null}
      </p>
      <ol className="deploy-steps">
        {steps.map((step) => (
          <StepItem key={step.id} step={step} />
        ))}
      </ol>
      {outcome === "failed" ? (
        <p>
          <Link to={`/servers/${serverId}/logs`}>Read the full log</Link> for the details, fix the
          settings if needed, then redeploy.
        </p>
      ) : null}
    </>
  );
}

function StepItem({ step }: { step: DeployStep }) {
  const { icon, text } = STATES[step.state];
  const showDetail = step.detail && step.state !== "pending";
  return (
    <li
      className={`deploy-step step-${step.state}`}
      aria-current={step.state === "active" ? "step" : undefined}
    >
      <span className="step-icon" aria-hidden="true">
        {icon}
      </span>
      <div className="step-body">
        <p className="step-title">
          <span className="step-label">{step.label}</span>
          <span className="step-state">{text}</span>
        </p>
        {step.reason ? <p className="step-reason">{step.reason}</p> : null}
        {showDetail ? <p className="step-detail">{step.detail}</p> : null}
      </div>
    </li>
  );
}
