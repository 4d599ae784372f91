/** Placeholder: being built. */
export default function CapabilitiesTab() {
  return <p>CapabilitiesTab is being built.</p>;
}
