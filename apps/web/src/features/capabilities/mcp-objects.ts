/**
 * The MCP protocol objects discovery stores as the server sent them. The API types them as plain
 * records, and a server may send anything, so these readers take only fields of the right type.
 */

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface McpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations: ToolAnnotations;
}

export interface McpResource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface McpResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface McpPrompt {
  name: string;
  title?: string;
  description?: string;
  arguments: { name: string; description?: string; required: boolean }[];
}

type Item = { [key: string]: unknown };

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const bool = (value: unknown): boolean | undefined =>
  typeof value === "boolean" ? value : undefined;
const obj = (value: unknown): Item =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Item) : {};

/** Leaves out keys whose value is undefined, as exactOptionalPropertyTypes asks. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toTool(item: Item): McpTool {
  const a = obj(item.annotations);
  return defined({
    name: str(item.name) ?? "(unnamed)",
    title: str(item.title) ?? str(a.title),
    description: str(item.description),
    inputSchema: item.inputSchema,
    outputSchema: item.outputSchema,
    annotations: defined({
      readOnlyHint: bool(a.readOnlyHint),
      destructiveHint: bool(a.destructiveHint),
      idempotentHint: bool(a.idempotentHint),
      openWorldHint: bool(a.openWorldHint),
    }),
  });
}

export function toResource(item: Item): McpResource {
  return defined({
    uri: str(item.uri) ?? "",
    name: str(item.name) ?? str(item.uri) ?? "(unnamed)",
    title: str(item.title),
    description: str(item.description),
    mimeType: str(item.mimeType),
  });
}

export function toResourceTemplate(item: Item): McpResourceTemplate {
  return defined({
    uriTemplate: str(item.uriTemplate) ?? "",
    name: str(item.name) ?? "(unnamed)",
    title: str(item.title),
    description: str(item.description),
    mimeType: str(item.mimeType),
  });
}

export function toPrompt(item: Item): McpPrompt {
  const args = Array.isArray(item.arguments) ? item.arguments : [];
  return defined({
    name: str(item.name) ?? "(unnamed)",
    title: str(item.title),
    description: str(item.description),
    arguments: args.map((arg) => {
      const a = obj(arg);
      return defined({
        name: str(a.name) ?? "(unnamed)",
        description: str(a.description),
        required: a.required === true,
      });
    }),
  });
}

/**
 * The annotations worth a badge, as words. The spec's defaults (not read-only, destructive, not
 * idempotent, open world) are only hints, so only what the server states is shown.
 */
export function annotationBadges(a: ToolAnnotations): { label: string; tone: "ok" | "warn" }[] {
  const badges: { label: string; tone: "ok" | "warn" }[] = [];
  if (a.readOnlyHint === true) badges.push({ label: "read-only", tone: "ok" });
  // Destructive only means something for a tool that writes.
  if (a.readOnlyHint !== true && a.destructiveHint === true)
    badges.push({ label: "destructive", tone: "warn" });
  if (a.readOnlyHint !== true && a.destructiveHint === false)
    badges.push({ label: "non-destructive", tone: "ok" });
  if (a.idempotentHint === true) badges.push({ label: "idempotent", tone: "ok" });
  if (a.openWorldHint === true) badges.push({ label: "open-world", tone: "warn" });
  if (a.openWorldHint === false) badges.push({ label: "closed-world", tone: "ok" });
  return badges;
}
