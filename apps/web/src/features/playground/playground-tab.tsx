/** Placeholder: being built. */
export default function PlaygroundTab() {
  return <p>PlaygroundTab is being built.</p>;
}
