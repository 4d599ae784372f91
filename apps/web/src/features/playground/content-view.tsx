import { formatBytes } from "../../lib/format";

/**
 * MCP content, as tools, resources and prompts return it. Everything here came from the MCP
 * server, so nothing is trusted as markup: text is shown as text, and only base64 payloads with an
 * image/ or audio/ MIME type become data: URLs (an <img> never runs scripts, even SVG ones).
 */

interface ContentProps {
  block: unknown;
  /** Whose output this is (a tool or prompt name), for the alt text of images. */
  source: string;
  /** Offered for resource links: reads the linked resource in the playground. */
  onReadResource?: ((uri: string) => void) | undefined;
}

/** One content block: text, image, audio, an embedded resource or a resource link. */
export function ContentBlock({ block, source, onReadResource }: ContentProps) {
  const item = asRecord(block);
  switch (item.type) {
    case "text":
      return <TextBody text={str(item.text)} />;
    case "image":
    case "audio":
      return (
        <Media
          kind={item.type}
          data={str(item.data)}
          mimeType={str(item.mimeType)}
          label={`${item.type === "image" ? "Image" : "Audio"} returned by ${source}`}
        />
      );
    case "resource":
      return <ResourceContents contents={item.resource} source={source} />;
    case "resource_link":
      return <ResourceLink link={item} onRead={onReadResource} />;
    default:
      // A type this page does not know yet (newer protocol): still show what came.
      return (
        <>
          <p className="muted">Content of type “{str(item.type) || "unknown"}”:</p>
          <pre>{JSON.stringify(block, null, 2)}</pre>
        </>
      );
  }
}

/** One entry of `resources/read` contents or an embedded resource: text, or a blob's size/media. */
export function ResourceContents({ contents, source }: { contents: unknown; source: string }) {
  const item = asRecord(contents);
  const uri = str(item.uri);
  const mimeType = str(item.mimeType);
  return (
    <div className="pg-resource">
      <p className="pg-resource-head">
        <span className="badge pg-kind">resource</span>
        <code>{uri || "(no URI)"}</code>
        {mimeType ? <span className="badge">{mimeType}</span> : null}
      </p>
      {typeof item.text === "string" ? (
        <TextBody text={item.text} />
      ) : typeof item.blob === "string" ? (
        <BlobBody data={item.blob} mimeType={mimeType} label={`${uri} from ${source}`} />
      ) : (
        <p className="muted">No text or blob.</p>
      )}
    </div>
  );
}

/** Text as sent (line breaks kept); JSON text is pretty-printed, as tools often answer with it. */
export function TextBody({ text }: { text: string }) {
  const json = parseJsonText(text);
  if (json !== undefined) return <pre className="pg-text">{JSON.stringify(json, null, 2)}</pre>;
  return <pre className="pg-text">{text}</pre>;
}

/** A blob that says it is text (text/*, JSON) is decoded and shown as text, with its size. */
function BlobBody({ data, mimeType, label }: { data: string; mimeType: string; label: string }) {
  const text = /^text\/|[/+]json$/i.test(mimeType) ? decodeBase64Text(data) : null;
  if (text === null) return <Media kind="blob" data={data} mimeType={mimeType} label={label} />;
  return (
    <>
      <p className="muted">
        Blob, {formatBytes(base64Bytes(data))}, decoded as {mimeType}:
      </p>
      <TextBody text={text} />
    </>
  );
}

function Media(props: {
  kind: "image" | "audio" | "blob";
  data: string;
  mimeType: string;
  label: string;
}) {
  const { data, mimeType, label } = props;
  const size = `${formatBytes(base64Bytes(data))}${mimeType ? `, ${mimeType}` : ""}`;
  const playable = /^(image|audio)\/[\w.+-]+$/i.test(mimeType) && /^[A-Za-z0-9+/=\s]*$/.test(data);
  const kind = props.kind === "blob" ? mimeType.split("/")[0] : props.kind;
  if (!playable || (kind !== "image" && kind !== "audio") || !mimeType.startsWith(kind)) {
    return <p className="muted">Binary, {size}</p>;
  }
  const src = `data:${mimeType};base64,${data.replace(/\s/g, "")}`;
  return (
    <figure className="pg-media">
      {kind === "image" ? (
        <img src={src} alt={`${label} (${mimeType})`} />
      ) : (
        // biome-ignore lint/a11y/useMediaCaption: a tool's audio comes with no captions to offer
        <audio controls src={src} aria-label={label} />
      )}
      <figcaption className="muted">{size}</figcaption>
    </figure>
  );
}

function ResourceLink({
  link,
  onRead,
}: {
  link: Record<string, unknown>;
  onRead?: ((uri: string) => void) | undefined;
}) {
  const uri = str(link.uri);
  return (
    <div className="pg-resource">
      <p className="pg-resource-head">
        <span className="badge pg-kind">link</span>
        <strong>{str(link.title) || str(link.name) || uri}</strong> <code>{uri}</code>
        {str(link.mimeType) ? <span className="badge">{str(link.mimeType)}</span> : null}
      </p>
      {str(link.description) ? (
        <p className="pg-resource-description">{str(link.description)}</p>
      ) : null}
      {onRead && uri ? (
        <button type="button" className="secondary" onClick={() => onRead(uri)}>
          Read this resource
        </button>
      ) : null}
    </div>
  );
}

/** The value of text that is a JSON object or array, else undefined (plain words stay words). */
export function parseJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** UTF-8 text from base64, or null when it is not valid base64 or not valid UTF-8. */
export function decodeBase64Text(data: string): string | null {
  try {
    const bytes = Uint8Array.from(atob(data.replace(/\s/g, "")), (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The decoded size of base64 data, without decoding it. */
export function base64Bytes(data: string): number {
  const clean = data.replace(/\s/g, "");
  const padding = clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}
