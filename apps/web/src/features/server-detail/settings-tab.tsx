/** Placeholder: being built. */
export default function SettingsTab() {
  return <p>SettingsTab is being built.</p>;
}
