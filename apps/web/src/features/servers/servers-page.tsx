/** Placeholder: being built. */
export default function ServersPage() {
  return <p>ServersPage is being built.</p>;
}
