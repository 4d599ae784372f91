/** Placeholder: being built. */
export default function OverviewTab() {
  return <p>OverviewTab is being built.</p>;
}
