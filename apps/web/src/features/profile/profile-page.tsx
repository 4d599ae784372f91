/** Placeholder: being built. */
export default function ProfilePage() {
  return <p>ProfilePage is being built.</p>;
}
