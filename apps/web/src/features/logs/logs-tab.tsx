/** Placeholder: being built. */
export default function LogsTab() {
  return <p>LogsTab is being built.</p>;
}
