/** Placeholder: being built. */
export default function AdminPage() {
  return <p>AdminPage is being built.</p>;
}
