/** Placeholder: being built. */
export default function OrgsPage() {
  return <p>OrgsPage is being built.</p>;
}
