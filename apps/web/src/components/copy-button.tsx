import { useState } from "react";

/**
 * Copies `text` to the clipboard and says so for two seconds. Where the Clipboard API is refused
 * (an insecure origin), it selects a hidden textarea and uses the older copy command.
 */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("yes");
    } catch {
      setCopied(legacyCopy(text) ? "yes" : "failed");
    }
    setTimeout(() => setCopied(null), 2000);
  }

  return (
    <button type="button" className="secondary" onClick={copy} aria-live="polite">
      {copied === "yes" ? "Copied" : copied === "failed" ? "Copy failed: select and copy" : label}
    </button>
  );
}

function legacyCopy(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
