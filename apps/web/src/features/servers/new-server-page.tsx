/** Placeholder: being built. */
export default function NewServerPage() {
  return <p>NewServerPage is being built.</p>;
}
