/** Placeholder: being built. */
export default function FilesTab() {
  return <p>FilesTab is being built.</p>;
}
