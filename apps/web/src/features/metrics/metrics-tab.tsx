/** Placeholder: being built. */
export default function MetricsTab() {
  return <p>MetricsTab is being built.</p>;
}
