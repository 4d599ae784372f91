import type { Problem } from "@mcphost/api-client";
import { useCallback, useEffect, useRef, useState } from "react";
import { formatBytes } from "../../lib/format";
import { fileUrl } from "./file-path";

export type UploadState = "queued" | "uploading" | "done" | "failed" | "cancelled";

export interface Upload {
  id: number;
  path: string;
  size: number;
  loaded: number;
  state: UploadState;
  /** Why it failed, in words; set when `state` is "failed". */
  error?: string;
}

/** What the listing says about room, read when each upload starts. */
export interface FileLimits {
  usageBytes: number;
  quotaBytes: number;
  maxFileBytes: number;
  /** The size of the file at `path` now, which an upload there replaces. */
  sizeAt: (path: string) => number;
}

/**
 * Uploads files one after another, each as a PUT of its raw bytes. XMLHttpRequest rather than
 * fetch because only it reports upload progress; being same-origin it sends the session cookie
 * and an Origin the CSRF guard accepts. One at a time keeps the quota check honest and leaves
 * the browser's few connections per host to the live streams.
 */
export function useUploads(serverId: string, limits: () => FileLimits, onUploaded: () => void) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const files = useRef(new Map<number, File>());
  const running = useRef<{ id: number; xhr: XMLHttpRequest } | null>(null);
  const nextId = useRef(1);
  // The latest callbacks, so the pump below does not restart on every render.
  const latest = useRef({ limits, onUploaded });
  latest.current = { limits, onUploaded };

  const patch = useCallback((id: number, change: Partial<Upload>) => {
    setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...change } : u)));
  }, []);

  const add = useCallback((picked: readonly File[], pathOf: (file: File) => string) => {
    const added = picked.map((file): Upload => {
      const id = nextId.current++;
      files.current.set(id, file);
      return { id, path: pathOf(file), size: file.size, loaded: 0, state: "queued" };
    });
    setUploads((list) => [...list, ...added]);
  }, []);

  const cancel = useCallback(
    (id: number) => {
      if (running.current?.id === id) running.current.xhr.abort();
      else {
        files.current.delete(id);
        patch(id, { state: "cancelled" });
      }
    },
    [patch],
  );

  /** Forgets the finished uploads, keeping those still queued or under way. */
  const clearFinished = useCallback(() => {
    setUploads((list) => list.filter((u) => u.state === "queued" || u.state === "uploading"));
  }, []);

  // The pump: whenever nothing is uploading, start the next queued file.
  useEffect(() => {
    if (running.current) return;
    const next = uploads.find((u) => u.state === "queued");
    const file = next && files.current.get(next.id);
    if (!next || !file) return;
    const refusal = refuse(next, latest.current.limits());
    if (refusal) {
      patch(next.id, { state: "failed", error: refusal });
      return;
    }
    const xhr = new XMLHttpRequest();
    running.current = { id: next.id, xhr };
    const finish = (change: Partial<Upload>) => {
      running.current = null;
      files.current.delete(next.id);
      patch(next.id, change);
    };
    xhr.upload.onprogress = (event) => patch(next.id, { loaded: event.loaded });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        finish({ state: "done", loaded: next.size });
        latest.current.onUploaded();
      } else {
        finish({ state: "failed", error: describeFailure(xhr, latest.current.limits()) });
      }
    };
    xhr.onerror = () =>
      finish({
        state: "failed",
        error: "The upload was cut off: the connection failed or the server refused it.",
      });
    xhr.onabort = () => {
      finish({ state: "cancelled" });
      // The bytes may all have arrived before the abort did: the listing tells.
      latest.current.onUploaded();
    };
    xhr.open("PUT", fileUrl(serverId, next.path));
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.send(file);
    patch(next.id, { state: "uploading" });
  }, [uploads, serverId, patch]);

  // Leaving the tab stops the upload under way rather than letting it finish unseen.
  useEffect(() => () => running.current?.xhr.abort(), []);

  return { uploads, add, cancel, clearFinished };
}

/** Refuses before sending what the server would refuse anyway, sparing the wait. */
function refuse(upload: Upload, limits: FileLimits): string | null {
  if (upload.size > limits.maxFileBytes) return tooLarge(limits);
  const after = limits.usageBytes - limits.sizeAt(upload.path) + upload.size;
  if (after > limits.quotaBytes) return overQuota(limits);
  return null;
}

function describeFailure(xhr: XMLHttpRequest, limits: FileLimits): string {
  let problem: Partial<Problem> = {};
  try {
    problem = JSON.parse(xhr.responseText) as Problem;
  } catch {
    // Not a problem document (a proxy's page): the status alone must do.
  }
  if (problem.code === "FILE_TOO_LARGE") return tooLarge(limits);
  if (problem.code === "FILES_QUOTA_EXCEEDED") return overQuota(limits);
  if (problem.code === "FORBIDDEN")
    return "You may look at this server's files but not change them.";
  return problem.detail ?? `The server answered ${xhr.status} ${xhr.statusText}`.trim();
}

const tooLarge = (limits: FileLimits) =>
  `Too large: a file may be at most ${formatBytes(limits.maxFileBytes)}.`;

const overQuota = (limits: FileLimits) =>
  `Not enough room: this server's files may take ${formatBytes(limits.quotaBytes)} in all, and this file would go past that. Delete some files first.`;
