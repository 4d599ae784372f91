import type { ServerFile } from "@mcphost/api-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { EmptyState, LoadError, Loading } from "../../components/states";
import { api, bodyOf } from "../../lib/api";
import { formatBytes, formatRelative, formatTime } from "../../lib/format";
import { useServerTab } from "../server-detail/server-outlet";
import { depthOf, fileUrl } from "./file-path";
import { UploadZone } from "./upload-zone";
import { useUploads } from "./use-uploads";
import "./files.css";

const filesKey = (serverId: string) => ["server-files", serverId] as const;

/** /servers/:serverId/files: the server's /data folder: usage, the files, upload and delete. */
export default function FilesTab() {
  const { server } = useServerTab();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: filesKey(server.id),
    queryFn: async () =>
      await bodyOf(
        api.GET("/api/servers/{serverId}/files", {
          params: { path: { serverId: server.id } },
        }),
      ),
  });
  const refresh = () => client.invalidateQueries({ queryKey: filesKey(server.id) });
  const uploads = useUploads(
    server.id,
    () => ({
      usageBytes: list.data?.usageBytes ?? 0,
      quotaBytes: list.data?.quotaBytes ?? Number.POSITIVE_INFINITY,
      maxFileBytes: list.data?.maxFileBytes ?? Number.POSITIVE_INFINITY,
      sizeAt: (path) => list.data?.items.find((f) => f.path === path)?.size ?? 0,
    }),
    () => void refresh(),
  );
  const [deleting, setDeleting] = useState<ServerFile | null>(null);
  const remove = useMutation({
    mutationFn: async (entry: ServerFile) => {
      await api.DELETE("/api/servers/{serverId}/files/{path}", {
        params: {
          path: { serverId: server.id, path: entry.path },
          query: entry.type === "directory" ? { recursive: "true" } : {},
        },
      });
    },
    onSuccess: () => {
      setDeleting(null);
      void refresh();
    },
  });

  if (list.isPending) return <Loading label="Loading files…" />;
  if (list.isError) return <LoadError error={list.error} onRetry={() => list.refetch()} />;
  const { items, usageBytes, quotaBytes, maxFileBytes, truncated } = list.data;

  return (
    <div className="files">
      <UsageBar usage={usageBytes} quota={quotaBytes} />
      <UploadZone
        maxFileBytes={maxFileBytes}
        uploads={uploads.uploads}
        onFiles={uploads.add}
        onCancel={uploads.cancel}
        onClear={uploads.clearFinished}
      />
      <section className="card" aria-labelledby="files-heading">
        <div className="section-header">
          <h2 id="files-heading">Files in /data</h2>
          <button
            type="button"
            className="secondary"
            onClick={() => list.refetch()}
            disabled={list.isFetching}
            aria-busy={list.isFetching || undefined}
          >
            {list.isFetching ? "Refreshing…" : "Refresh"}
          </button>
        </div>
        {items.length === 0 ? (
          <EmptyState title="No files yet">
            <p>
              Files you upload appear at <code>/data</code> inside the server, which can read and
              write them. What the server writes there shows up here too.
            </p>
          </EmptyState>
        ) : (
          <FileTable items={items} serverId={server.id} onDelete={setDeleting} />
        )}
        {truncated ? (
          <p className="notice notice-warn">
            <span aria-hidden="true">▲ </span>
            Only the first 10,000 entries are listed.
          </p>
        ) : null}
      </section>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.path ?? ""}?`}
        confirmLabel={deleting?.type === "directory" ? "Delete folder" : "Delete file"}
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => {
          setDeleting(null);
          remove.reset();
        }}
      >
        <p>
          {deleting?.type === "directory"
            ? "The folder and everything in it are deleted from /data. This cannot be undone."
            : "The file is deleted from /data. This cannot be undone."}
        </p>
        <ErrorAlert error={remove.error} />
      </ConfirmDialog>
    </div>
  );
}

function UsageBar({ usage, quota }: { usage: number; quota: number }) {
  const percent = quota > 0 ? Math.min(100, Math.round((usage / quota) * 100)) : 0;
  return (
    <section className="card usage" aria-label="Storage">
      <p className="usage-text">
        <strong>{formatBytes(usage)}</strong> of {formatBytes(quota)} used ({percent}%)
        {percent >= 90 ? (
          <span className="warn-text">
            {" "}
            <span aria-hidden="true">▲</span> nearly full
          </span>
        ) : null}
      </p>
      <progress
        className={percent >= 90 ? "usage-full" : ""}
        max={quota || 1}
        value={Math.min(usage, quota)}
        aria-label={`Storage used: ${percent}%`}
      />
    </section>
  );
}

function FileTable(props: {
  items: ServerFile[];
  serverId: string;
  onDelete: (entry: ServerFile) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="stack-table file-table">
        <caption className="visually-hidden">
          Files and folders, each folder before its contents
        </caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Size</th>
            <th scope="col">Modified</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((entry) => {
            const folder = entry.type === "directory";
            return (
              <tr key={entry.path}>
                <td data-label="Path">
                  {/* Indented under its folder, which the listing puts right before it. */}
                  <span
                    className="file-path"
                    title={entry.path}
                    style={{ paddingInlineStart: `${Math.min(depthOf(entry.path), 8) * 1.25}rem` }}
                  >
                    <code>{folder ? `${baseName(entry.path)}/` : baseName(entry.path)}</code>
                  </span>
                </td>
                <td data-label="Size">{folder ? "folder" : formatBytes(entry.size)}</td>
                <td data-label="Modified">
                  <time dateTime={entry.modifiedAt} title={formatTime(entry.modifiedAt)}>
                    {formatRelative(entry.modifiedAt)}
                  </time>
                </td>
                <td>
                  <div className="actions row-actions">
                    {folder ? null : (
                      <a
                        className="button-link"
                        href={fileUrl(props.serverId, entry.path)}
                        download
                        aria-label={`Download ${entry.path}`}
                      >
                        Download
                      </a>
                    )}
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Delete ${entry.path}`}
                      onClick={() => props.onDelete(entry)}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
