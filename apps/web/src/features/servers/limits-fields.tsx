import { LIMITS } from "../../../../server/src/domain/servers/server-rules";
import { Field } from "../../components/field";
import { CheckboxField } from "./form-controls";
import type { FormErrors } from "./server-form-validation";
import {
  LIMIT_NAMES,
  type LimitName,
  type LimitValues,
  type NetworkPolicy,
} from "./server-form-values";

const LABELS: Record<LimitName, { label: string; unit: string; step: string }> = {
  memoryMb: { label: "Memory (MiB)", unit: "MiB", step: "1" },
  cpus: { label: "CPUs", unit: "cores", step: "0.05" },
  pids: { label: "Processes", unit: "processes and threads", step: "1" },
};

interface LimitsFieldsProps {
  limits: LimitValues;
  network: NetworkPolicy;
  gpu: boolean;
  onLimits: (limits: LimitValues) => void;
  onNetwork: (network: NetworkPolicy) => void;
  onGpu: (gpu: boolean) => void;
  errors: FormErrors;
}

/** What the sandbox allows the server: memory, CPU, processes, network, GPUs. */
export function LimitsFields(props: LimitsFieldsProps) {
  const { limits, network, gpu, onLimits, onNetwork, onGpu, errors } = props;
  return (
    <fieldset>
      <legend>Resources</legend>
      <div className="field-row">
        {LIMIT_NAMES.map((name) => {
          const rule = LIMITS[name];
          const { label, unit, step } = LABELS[name];
          return (
            <Field
              key={name}
              label={label}
              hint={`${rule.min}–${rule.max.toLocaleString("en")} ${unit}, default ${rule.fallback}`}
              error={errors[`limits.${name}`]}
            >
              {(control) => (
                <input
                  {...control}
                  type="number"
                  inputMode={rule.integer ? "numeric" : "decimal"}
                  min={rule.min}
                  max={rule.max}
                  step={step}
                  value={limits[name]}
                  onChange={(event) => onLimits({ ...limits, [name]: event.target.value })}
                />
              )}
            </Field>
          );
        })}
      </div>
      <Field
        label="Network"
        hint="Whether the server may open connections to other hosts"
        error={errors.network}
      >
        {(control) => (
          <select
            {...control}
            value={network}
            onChange={(event) => onNetwork(event.target.value as NetworkPolicy)}
          >
            <option value="outbound">Outbound allowed</option>
            <option value="none">No network</option>
          </select>
        )}
      </Field>
      <CheckboxField
        label="Give it the host's GPUs"
        hint="Only where the host has GPUs and the runtime is set up for them."
        checked={gpu}
        onChange={onGpu}
        error={errors.gpu}
      />
    </fieldset>
  );
}
