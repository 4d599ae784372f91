/** Placeholder: being built. */
export default function OrgPage() {
  return <p>OrgPage is being built.</p>;
}
