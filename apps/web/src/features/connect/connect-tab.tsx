/** Placeholder: being built. */
export default function ConnectTab() {
  return <p>ConnectTab is being built.</p>;
}
