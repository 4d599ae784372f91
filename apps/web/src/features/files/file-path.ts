/**
 * The URL of a server file: each segment percent-encoded on its own, so the slashes between them
 * stay slashes and a name such as "a b#1.txt" cannot be read as anything else.
 */
export function fileUrl(serverId: string, path: string): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return `/api/servers/${encodeURIComponent(serverId)}/files/${encoded}`;
}

/** "reports/", "/reports//2024" → "reports", "reports/2024": the folder as the API wants it. */
export function normalizeFolder(folder: string): string {
  return folder
    .split("/")
    .map((segment) => segment.trim())
    .filter(Boolean)
    .join("/");
}

/** Where an upload of `fileName` into `folder` lands. */
export function uploadPath(folder: string, fileName: string): string {
  const dir = normalizeFolder(folder);
  return dir ? `${dir}/${fileName}` : fileName;
}

/** How deep an entry sits: "a/b/c.txt" → 2, for indenting the listing. */
export function depthOf(path: string): number {
  return path.split("/").length - 1;
}
