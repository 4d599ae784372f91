import { type DragEvent, useId, useRef, useState } from "react";
import { Field } from "../../components/field";
import { formatBytes } from "../../lib/format";
import { uploadPath } from "./file-path";
import type { Upload, UploadState } from "./use-uploads";

interface UploadZoneProps {
  maxFileBytes: number;
  uploads: Upload[];
  onFiles: (files: File[], pathOf: (file: File) => string) => void;
  onCancel: (id: number) => void;
  onClear: () => void;
}

/**
 * Where files are dropped or chosen (the button reaches the same hidden file input from the
 * keyboard), with an optional folder to put them in, and each upload's progress below.
 */
export function UploadZone({ maxFileBytes, uploads, onFiles, onCancel, onClear }: UploadZoneProps) {
  const headingId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [folder, setFolder] = useState("");
  const [over, setOver] = useState(false);

  const take = (list: FileList | null) => {
    const files = Array.from(list ?? []);
    if (files.length > 0) onFiles(files, (file) => uploadPath(folder, file.name));
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    take(event.dataTransfer.files);
  };
  const finished = uploads.some((u) => u.state !== "queued" && u.state !== "uploading");

  return (
    <section className="card upload" aria-labelledby={headingId}>
      <h2 id={headingId}>Upload</h2>
      <Field
        label="Folder (optional)"
        hint="Files go into this folder, created if needed; empty means the top of /data."
      >
        {(control) => (
          <input
            {...control}
            value={folder}
            placeholder="e.g. reports/2024"
            onChange={(event) => setFolder(event.target.value)}
          />
        )}
      </Field>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for pointer users; the "Choose files" button inside is the same action for everyone else */}
      <div
        className={`drop-zone ${over ? "over" : ""}`}
        onDragEnter={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragOver={(event) => event.preventDefault()}
        onDragLeave={(event) => {
          // Leaving for a child of the zone is not leaving the zone.
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={onDrop}
      >
        <p aria-hidden="true" className="drop-icon">
          ⇪
        </p>
        <p>{over ? "Drop to upload" : "Drag files here, or"}</p>
        <button type="button" onClick={() => input.current?.click()} aria-describedby={hintId}>
          Choose files
        </button>
        <p id={hintId} className="field-hint">
          Up to {formatBytes(maxFileBytes)} a file.
        </p>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          onChange={(event) => {
            take(event.target.files);
            // Clear it, so choosing the same file again uploads it again.
            event.target.value = "";
          }}
        />
      </div>
      {uploads.length > 0 ? (
        <>
          <ul className="upload-list" aria-label="Uploads">
            {uploads.map((upload) => (
              <UploadRow key={upload.id} upload={upload} onCancel={() => onCancel(upload.id)} />
            ))}
          </ul>
          {finished ? (
            <button type="button" className="secondary" onClick={onClear}>
              Clear finished
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

const STATES: Record<UploadState, { icon: string; text: string }> = {
  queued: { icon: "○", text: "Waiting" },
  uploading: { icon: "◌", text: "Uploading" },
  done: { icon: "✓", text: "Uploaded" },
  failed: { icon: "✕", text: "Failed" },
  cancelled: { icon: "■", text: "Cancelled" },
};

function UploadRow({ upload, onCancel }: { upload: Upload; onCancel: () => void }) {
  const { icon, text } = STATES[upload.state];
  const percent = upload.size ? Math.round((upload.loaded / upload.size) * 100) : 100;
  const active = upload.state === "queued" || upload.state === "uploading";
  return (
    <li className={`upload-row upload-${upload.state}`}>
      <div className="upload-head">
        <span className="upload-name">
          <span aria-hidden="true">{icon} </span>
          <code>{upload.path}</code>
        </span>
        <span className="upload-state">
          {text}
          {upload.state === "uploading" ? ` ${percent}%` : ""} · {formatBytes(upload.size)}
        </span>
        {active ? (
          <button
            type="button"
            className="secondary"
            onClick={onCancel}
            aria-label={`Cancel upload of ${upload.path}`}
          >
            Cancel
          </button>
        ) : null}
      </div>
      {upload.state === "uploading" ? (
        <progress
          max={upload.size || 1}
          value={upload.loaded}
          aria-label={`Upload of ${upload.path}`}
        />
      ) : null}
      {upload.error ? (
        <p className="upload-error" role="alert">
          {upload.error}
        </p>
      ) : null}
    </li>
  );
}
