import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Actor } from "../../domain/authz/actor.js";
import type { OwnedResourceAction } from "../../domain/authz/policy.js";
import { MAX_PATH_CHARS } from "../../files/safe-path.js";
import type { FileEntry, ServerFileStore, UploadBody } from "../../files/server-file-store.js";
import { actorOf } from "../middleware/authenticate.js";
import { errorResponses, idParam, iso, jsonContent, secured } from "../openapi.js";
import { newRouter } from "../router.js";

const tags = ["Server files"];

const FileEntrySchema = z
  .object({
    path: z.string().openapi({ example: "reports/2024.csv" }),
    type: z.enum(["file", "directory"]),
    size: z.number().int().openapi({ description: "Bytes; 0 for folders" }),
    modifiedAt: z.iso.datetime(),
  })
  .openapi("ServerFile");

const FileListSchema = z
  .object({
    items: z.array(FileEntrySchema),
    truncated: z.boolean().openapi({
      description: "True when the listing stopped at its limit; narrow it with prefix",
    }),
    usageBytes: z.number().int().openapi({ description: "Bytes the server's files take now" }),
    quotaBytes: z.number().int().openapi({ description: "Most bytes uploads may bring it to" }),
    maxFileBytes: z.number().int().openapi({ description: "Largest single upload" }),
  })
  .openapi("ServerFileList");

const FilePathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .openapi({
    param: { name: "path", in: "path" },
    description:
      "Path relative to the server's folder (mounted at /data inside the server). May contain " +
      "slashes; percent-encode each segment. Absolute paths, `.` and `..` segments, backslashes " +
      "and control characters are refused, and symbolic links are never followed.",
    example: "reports/2024.csv",
  });

const fileParams = z.object({
  serverId: idParam("serverId", "srv_0abc..."),
  path: FilePathSchema,
});

const binary = z.string().openapi({ type: "string", format: "binary" });

const list = createRoute({
  method: "get",
  path: "/servers/{serverId}/files",
  tags,
  summary: "List a server's files and folders (recursively)",
  ...secured("servers:read"),
  request: {
    params: z.object({ serverId: idParam("serverId", "srv_0abc...") }),
    query: z.object({
      prefix: z
        .string()
        .max(MAX_PATH_CHARS)
        .optional()
        .openapi({ description: "Only what is inside this folder", example: "reports" }),
    }),
  },
  responses: {
    200: jsonContent(FileListSchema, "Files and folders, a folder right before its contents"),
    ...errorResponses(401, 403, 404),
  },
});

const upload = createRoute({
  method: "put",
  path: "/servers/{serverId}/files/{path}",
  tags,
  summary: "Upload a file, creating folders on the way and replacing a file that is there",
  ...secured(
    "servers:write",
    "Send the raw bytes as the body (any content type; it is not interpreted). The file appears " +
      "only once complete. A body over the per-file limit is refused with 413 FILE_TOO_LARGE, " +
      "one that would take the server's files over their quota with 413 FILES_QUOTA_EXCEEDED; " +
      "before reading when Content-Length shows it.",
  ),
  request: {
    params: fileParams,
    body: { required: true, content: { "application/octet-stream": { schema: binary } } },
  },
  responses: {
    200: jsonContent(FileEntrySchema, "Replaced the file that was there"),
    201: jsonContent(FileEntrySchema, "Created"),
    ...errorResponses(401, 403, 404, 409, 413),
  },
});

const download = createRoute({
  method: "get",
  path: "/servers/{serverId}/files/{path}",
  tags,
  summary: "Download a file",
  ...secured("servers:read"),
  request: { params: fileParams },
  responses: {
    200: {
      description: "The file's bytes, as an attachment",
      headers: {
        "content-disposition": {
          description: 'attachment; filename="..." (and filename* for non-ASCII names)',
          schema: { type: "string" },
        },
        "content-length": { schema: { type: "integer" } },
        "last-modified": { schema: { type: "string" } },
      },
      content: { "application/octet-stream": { schema: binary } },
    },
    ...errorResponses(401, 403, 404, 409),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/servers/{serverId}/files/{path}",
  tags,
  summary: "Delete a file, or a folder with everything in it",
  ...secured("servers:write", "A folder (even an empty one) needs `recursive=true`."),
  request: {
    params: fileParams,
    query: z.object({
      recursive: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "Required to delete a folder" }),
    }),
  },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404, 409) },
});

/**
 * @hono/zod-openapi routes `{path}` as Hono's `:path`, which stops at a slash. A file path holds
 * slashes, so these routes are documented with the plain `{path}` template (what clients see) but
 * routed with Hono's `:path{[\s\S]+}`, which takes the rest of the URL (`.+` would miss names with
 * an encoded newline, which must reach the path checks and be refused with 400 rather than 404).
 * Percent-encoded slashes are decoded into the parameter too; the store checks the decoded value.
 */
function routedByWildcard<R extends { path: string }>(route: R) {
  return {
    ...route,
    path: route.path.replace("/{path}", "/{path{[\\s\\S]+}}"),
    hide: true as const,
  };
}

const toDto = (e: FileEntry): z.infer<typeof FileEntrySchema> => ({
  path: e.path,
  type: e.type,
  size: e.size,
  modifiedAt: iso(e.modifiedAt),
});

const UPLOAD_PATH = /^\/servers\/[^/]+\/files\/./;

/**
 * True for an upload to these routes mounted at `mountPath`. Uploads bring their own limits
 * (`maxFileBytes`, enforced while streaming), so the app must exempt them from its general body
 * limit, which would otherwise refuse them or buffer them in memory.
 */
export function isServerFileUpload(method: string, path: string, mountPath = "/api"): boolean {
  if (method !== "PUT" || !path.startsWith(`${mountPath}/`)) return false;
  return UPLOAD_PATH.test(path.slice(mountPath.length));
}

/** `Content-Disposition` for a download, with an ASCII fallback and the exact name (RFC 6266). */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  if (fallback === fileName) return `attachment; filename="${fileName}"`;
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

function declaredLength(c: Context): number | undefined {
  const header = c.req.header("content-length");
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

async function* noBytes(): AsyncGenerator<Uint8Array> {}

/**
 * The file routes. They throw domain errors rather than render them: mount them on an app whose
 * `onError` is `handleError`, which answers FILE_TOO_LARGE and FILES_QUOTA_EXCEEDED with 413.
 */
export function createServerFileRoutes(deps: {
  files: ServerFileStore;
  /** Throws NOT_FOUND for a server the actor may not see, FORBIDDEN for one they may not act on. */
  authorizeServer: (actor: Actor, serverId: string, action: OwnedResourceAction) => Promise<void>;
}) {
  const { files, authorizeServer } = deps;
  const router = newRouter();
  for (const { middleware: _, ...documented } of [upload, download, remove]) {
    router.openAPIRegistry.registerPath(documented);
  }

  return router
    .openapi(list, async (c) => {
      const { serverId } = c.req.valid("param");
      await authorizeServer(actorOf(c), serverId, "read");
      const listing = await files.list(serverId, c.req.valid("query").prefix);
      return c.json(
        {
          items: listing.items.map(toDto),
          truncated: listing.truncated,
          usageBytes: await files.usage(serverId),
          quotaBytes: files.quotaBytes,
          maxFileBytes: files.maxFileBytes,
        },
        200,
      );
    })
    .openapi(routedByWildcard(upload), async (c) => {
      const { serverId, path } = c.req.valid("param");
      await authorizeServer(actorOf(c), serverId, "operate");
      // Streamed straight to disk: never c.req.arrayBuffer(), which would hold it all in memory.
      const body: UploadBody = c.req.raw.body ?? noBytes();
      const { entry, replaced } = await files.write(serverId, path, body, declaredLength(c));
      return c.json(toDto(entry), replaced ? 200 : 201);
    })
    .openapi(routedByWildcard(download), async (c) => {
      const { serverId, path } = c.req.valid("param");
      await authorizeServer(actorOf(c), serverId, "read");
      const file = await files.read(serverId, path);
      const headers = {
        "content-type": "application/octet-stream",
        "content-length": String(file.size),
        "content-disposition": attachmentDisposition(path.slice(path.lastIndexOf("/") + 1)),
        "last-modified": file.modifiedAt.toUTCString(),
        // Server-written bytes must never be rendered as a page on our origin.
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-cache",
      };
      if (c.req.method === "HEAD") {
        await file.stream.cancel(); // closes the file; HEAD gets the headers only
        return c.body(null, 200, headers);
      }
      return c.body(file.stream, 200, headers);
    })
    .openapi(routedByWildcard(remove), async (c) => {
      const { serverId, path } = c.req.valid("param");
      await authorizeServer(actorOf(c), serverId, "operate");
      await files.delete(serverId, path, { recursive: c.req.valid("query").recursive === "true" });
      return c.body(null, 204);
    });
}
