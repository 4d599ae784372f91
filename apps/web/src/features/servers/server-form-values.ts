import type { CreateServer, Server, UpdateServer } from "@mcphost/api-client";
import {
  DEFAULT_VERSION,
  HTTP_PATH,
  LIMITS,
  MAX_SESSIONS,
} from "../../../../server/src/domain/servers/server-rules";

/**
 * What the server forms (new server, settings) hold while the reader types: strings as typed, so
 * that nothing is lost or reformatted when a check fails, and every source's fields at once, so
 * that switching the source type and back keeps what was entered.
 */

export type SourceType = "npm" | "image" | "command" | "remote";
export type RuntimeChoice = "auto" | "process" | "docker";
export type SessionMode = "session" | "shared";
export type NetworkPolicy = "outbound" | "none";
export type LimitName = keyof typeof LIMITS;
export const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[];

/** One name/value row (an environment variable, a header). `id` keys it across edits. */
export interface Row {
  id: string;
  name: string;
  value: string;
}

let lastRowId = 0;
export function newRow(name = "", value = ""): Row {
  lastRowId += 1;
  return { id: `row${lastRowId}`, name, value };
}

/** What to do with a variable the server already has (its value is never shown). */
export interface EnvEdit {
  name: string;
  action: "keep" | "replace" | "delete";
  value: string;
}

export interface SourceValues {
  type: SourceType;
  package: string;
  version: string;
  image: string;
  /** An image's replacement entrypoint, one string per line. */
  entrypoint: string;
  command: string;
  url: string;
  headers: Row[];
  allowPrivateNetwork: boolean;
  /** One argument per line: no shell quoting to get wrong. */
  args: string;
}

export interface TransportValues {
  type: "stdio" | "http";
  port: string;
  path: string;
}

export type LimitValues = Record<LimitName, string>;

export interface ServerFormValues {
  name: string;
  slug: string;
  description: string;
  /** "" for the reader's own, else an organization id. */
  ownerId: string;
  source: SourceValues;
  transport: TransportValues;
  runtime: RuntimeChoice;
  sessionMode: SessionMode;
  maxSessions: string;
  /** Variables to add. */
  env: Row[];
  /** The server's current variables and what to do with each (settings only). */
  envEdits: EnvEdit[];
  limits: LimitValues;
  network: NetworkPolicy;
  gpu: boolean;
  public: boolean;
  start: boolean;
}

export function emptyServerForm(ownerId: string, packageName = ""): ServerFormValues {
  return {
    name: "",
    slug: "",
    description: "",
    ownerId,
    source: {
      type: "npm",
      package: packageName,
      version: DEFAULT_VERSION,
      image: "",
      entrypoint: "",
      command: "",
      url: "",
      headers: [],
      allowPrivateNetwork: false,
      args: "",
    },
    transport: { type: "stdio", port: "", path: HTTP_PATH.fallback },
    runtime: "auto",
    sessionMode: "session",
    maxSessions: String(MAX_SESSIONS.fallback),
    env: [],
    envEdits: [],
    limits: {
      memoryMb: String(LIMITS.memoryMb.fallback),
      cpus: String(LIMITS.cpus.fallback),
      pids: String(LIMITS.pids.fallback),
    },
    network: "outbound",
    gpu: false,
    public: false,
    start: true,
  };
}

/** A saved server as form values, for its settings. */
export function serverToForm(server: Server): ServerFormValues {
  const base = emptyServerForm(server.owner.type === "org" ? server.owner.id : "");
  const source = { ...base.source, type: server.source.type };
  const s = server.source;
  if (s.type === "npm") {
    Object.assign(source, { package: s.package, version: s.version ?? DEFAULT_VERSION });
  } else if (s.type === "image") {
    Object.assign(source, { image: s.image, entrypoint: (s.command ?? []).join("\n") });
  } else if (s.type === "command") {
    source.command = s.command;
  } else {
    source.url = s.url;
    source.headers = Object.entries(s.headers ?? {}).map(([name, value]) => newRow(name, value));
    source.allowPrivateNetwork = s.allowPrivateNetwork ?? false;
  }
  if (s.type !== "remote") source.args = (s.args ?? []).join("\n");
  return {
    ...base,
    name: server.name,
    slug: server.slug,
    description: server.description,
    source,
    transport:
      server.transport.type === "http"
        ? { type: "http", port: String(server.transport.port), path: server.transport.path }
        : base.transport,
    sessionMode: server.sessionMode,
    maxSessions: String(server.maxSessions),
    envEdits: server.envKeys.map((name) => ({ name, action: "keep", value: "" })),
    limits: {
      memoryMb: String(server.limits.memoryMb),
      cpus: String(server.limits.cpus),
      pids: String(server.limits.pids),
    },
    network: server.network,
    gpu: server.gpu,
    public: server.public,
  };
}

/** Lines as a list of strings; blank lines are left out. */
export function linesOf(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.trim() !== "");
}

/** Rows with nothing typed in them are not meant; they are skipped rather than refused. */
export function filledRows(rows: readonly Row[]): Row[] {
  return rows.filter((row) => row.name.trim() !== "" || row.value !== "");
}

type ApiSource = Server["source"];

export function toSource(values: SourceValues): ApiSource {
  const args = linesOf(values.args);
  const withArgs = args.length > 0 ? { args } : {};
  switch (values.type) {
    case "npm":
      return {
        type: "npm",
        package: values.package.trim(),
        ...(values.version.trim() ? { version: values.version.trim() } : {}),
        ...withArgs,
      };
    case "image": {
      const command = linesOf(values.entrypoint);
      return {
        type: "image",
        image: values.image.trim(),
        ...(command.length > 0 ? { command } : {}),
        ...withArgs,
      };
    }
    case "command":
      return { type: "command", command: values.command.trim(), ...withArgs };
    case "remote": {
      const headers = filledRows(values.headers);
      return {
        type: "remote",
        url: values.url.trim(),
        ...(headers.length > 0
          ? { headers: Object.fromEntries(headers.map((h) => [h.name.trim(), h.value])) }
          : {}),
        ...(values.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
      };
    }
  }
}

export function toTransport(values: TransportValues): Server["transport"] {
  return values.type === "http"
    ? { type: "http", port: Number(values.port), path: values.path.trim() }
    : { type: "stdio" };
}

function toLimits(values: LimitValues): Server["limits"] {
  return {
    memoryMb: Number(values.memoryMb),
    cpus: Number(values.cpus),
    pids: Number(values.pids),
  };
}

/** The body of `POST /api/servers`; call only with values that passed validation. */
export function toCreateBody(values: ServerFormValues): CreateServer {
  const remote = values.source.type === "remote";
  const transport = toTransport(values.transport);
  const env = filledRows(values.env);
  return {
    name: values.name.trim(),
    ...(values.slug.trim() ? { slug: values.slug.trim() } : {}),
    ...(values.description.trim() ? { description: values.description.trim() } : {}),
    ...(values.ownerId ? { orgId: values.ownerId } : {}),
    source: toSource(values.source),
    // A remote server speaks Streamable HTTP at its URL, and nothing of it runs here.
    ...(remote
      ? {}
      : {
          transport,
          runtime: values.runtime,
          limits: toLimits(values.limits),
          network: values.network,
          gpu: values.gpu,
        }),
    ...(transport.type === "stdio" && !remote ? { sessionMode: values.sessionMode } : {}),
    ...(env.length > 0
      ? { env: Object.fromEntries(env.map((row) => [row.name.trim(), row.value])) }
      : {}),
    maxSessions: Number(values.maxSessions),
    public: values.public,
    start: values.start,
  };
}

/** A source with its defaults filled in, so that equal sources compare equal. */
function canonicalSource(source: ApiSource): string {
  switch (source.type) {
    case "npm":
      return JSON.stringify([source.package, source.version ?? DEFAULT_VERSION, source.args ?? []]);
    case "image":
      return JSON.stringify([source.image, source.command ?? [], source.args ?? []]);
    case "command":
      return JSON.stringify([source.command, source.args ?? []]);
    case "remote":
      return JSON.stringify([
        source.url,
        Object.entries(source.headers ?? {}).sort(([a], [b]) => a.localeCompare(b)),
        source.allowPrivateNetwork ?? false,
      ]);
  }
}

/**
 * The body of `PATCH /api/servers/{serverId}` holding only what differs from `server`, so that
 * saving an untouched section never marks the server for redeploy. Empty when nothing changed.
 */
export function toUpdateBody(values: ServerFormValues, server: Server): UpdateServer {
  const body: UpdateServer = {};
  const name = values.name.trim();
  if (name !== server.name) body.name = name;
  const description = values.description.trim();
  if (description !== server.description) body.description = description;

  const source = toSource(values.source);
  if (
    source.type !== server.source.type ||
    canonicalSource(source) !== canonicalSource(server.source)
  ) {
    body.source = source;
  }
  if (server.source.type !== "remote") {
    const transport = toTransport(values.transport);
    if (JSON.stringify(transport) !== JSON.stringify(server.transport)) body.transport = transport;
    const limits = toLimits(values.limits);
    const changedLimits = LIMIT_NAMES.filter((key) => limits[key] !== server.limits[key]);
    if (changedLimits.length > 0) {
      body.limits = Object.fromEntries(changedLimits.map((key) => [key, limits[key]]));
    }
    if (values.network !== server.network) body.network = values.network;
    if (values.gpu !== server.gpu) body.gpu = values.gpu;
    if (values.sessionMode !== server.sessionMode) body.sessionMode = values.sessionMode;
  }
  if (values.public !== server.public) body.public = values.public;
  const maxSessions = Number(values.maxSessions);
  if (maxSessions !== server.maxSessions) body.maxSessions = maxSessions;

  const env: Record<string, string | null> = {};
  for (const edit of values.envEdits) {
    if (edit.action === "delete") env[edit.name] = null;
    if (edit.action === "replace") env[edit.name] = edit.value;
  }
  // A new row may reuse a name being deleted above: the new value wins.
  for (const row of filledRows(values.env)) env[row.name.trim()] = row.value;
  if (Object.keys(env).length > 0) body.env = env;
  return body;
}
