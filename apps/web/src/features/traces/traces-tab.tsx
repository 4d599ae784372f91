/** Placeholder: being built. */
export default function TracesTab() {
  return <p>TracesTab is being built.</p>;
}
