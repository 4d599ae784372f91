import {
  ARGS,
  DESCRIPTION_MAX_LENGTH,
  ENV_VALUE_MAX_LENGTH,
  envNameProblem,
  HEADER_NAME,
  HEADER_VALUE_MAX_LENGTH,
  HOST_COMMAND_MAX_LENGTH,
  httpPathProblem,
  IMAGE_REF,
  LIMITS,
  MAX_ENV_VARS,
  MAX_HEADERS,
  MAX_SESSIONS,
  NPM_PACKAGE,
  PORT,
  type RangeRule,
  rangeProblem,
  remoteUrlFormatProblem,
  SLUG,
  type TextRule,
  textProblem,
  VERSION_SPEC,
} from "../../../../server/src/domain/servers/server-rules";
import {
  filledRows,
  LIMIT_NAMES,
  linesOf,
  type Row,
  type ServerFormValues,
} from "./server-form-values";

/**
 * Messages keyed by form field. Keys follow the API's field paths where there is one
 * (`source.package`, `transport.port`, `limits.memoryMb`), and name rows by their id
 * (`env.row3.name`), since a row's name is what may be wrong.
 */
export type FormErrors = Record<string, string>;

/** "must be …" from the rules reads as a sentence under the field. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * Checks the values against the same rules the API applies (imported from the server's
 * `server-rules.ts`), before anything is sent. Only the fields the form shows for the chosen
 * source and transport are checked. `{}` means the values may be sent.
 */
export function validateServerForm(values: ServerFormValues): FormErrors {
  const errors: FormErrors = {};
  const set = (field: string, message: string | null) => {
    if (message && !errors[field]) errors[field] = sentence(message);
  };
  const text = (field: string, rule: TextRule, value: string, missing?: string) => {
    if (!value.trim()) set(field, missing ?? null);
    else set(field, textProblem(rule, value.trim()));
  };
  const number = (field: string, rule: Omit<RangeRule, "fallback">, value: string) => {
    set(field, value.trim() ? rangeProblem(rule, Number(value)) : "enter a number");
  };

  if (!values.name.trim()) set("name", "enter a name");
  text("slug", SLUG, values.slug);
  if (values.description.trim().length > DESCRIPTION_MAX_LENGTH) {
    set("description", `must be at most ${DESCRIPTION_MAX_LENGTH} characters`);
  }

  const { source } = values;
  switch (source.type) {
    case "npm":
      text("source.package", NPM_PACKAGE, source.package, "enter the package name");
      text("source.version", VERSION_SPEC, source.version);
      break;
    case "image":
      text("source.image", IMAGE_REF, source.image, "enter the image");
      set("source.command", listProblem(linesOf(source.entrypoint)));
      break;
    case "command":
      if (!source.command.trim()) set("source.command", "enter the program to run");
      else if (source.command.length > HOST_COMMAND_MAX_LENGTH) {
        set("source.command", `must be at most ${HOST_COMMAND_MAX_LENGTH} characters`);
      }
      break;
    case "remote":
      if (!source.url.trim()) set("source.url", "enter the server's URL");
      else set("source.url", remoteUrlFormatProblem(source.url.trim()));
      Object.assign(errors, validateHeaders(source.headers));
      break;
  }
  if (source.type !== "remote") set("source.args", listProblem(linesOf(source.args)));

  if (source.type !== "remote") {
    if (values.transport.type === "http") {
      const { port, path } = values.transport;
      if (!port.trim()) set("transport.port", "enter the port the server listens on");
      else number("transport.port", PORT, port);
      set("transport.path", httpPathProblem(path.trim()));
    }
    for (const name of LIMIT_NAMES) number(`limits.${name}`, LIMITS[name], values.limits[name]);
  }
  number("maxSessions", MAX_SESSIONS, values.maxSessions);

  Object.assign(errors, validateEnv(values));
  return errors;
}

/** Arguments (or an entrypoint): how many, and how long each. */
function listProblem(items: string[]): string | null {
  if (items.length > ARGS.maxCount) return `at most ${ARGS.maxCount} lines`;
  const long = items.findIndex((item) => item.length > ARGS.maxLength);
  return long >= 0 ? `line ${long + 1} is over ${ARGS.maxLength} characters` : null;
}

/**
 * New variables (rows) and changes to the current ones: names valid, not reserved, not twice,
 * values not too long, and not more variables in all than a server may have.
 */
function validateEnv(values: ServerFormValues): FormErrors {
  const errors: FormErrors = {};
  const kept = new Set(values.envEdits.filter((e) => e.action !== "delete").map((e) => e.name));
  const seen = new Set<string>();
  const rows = filledRows(values.env);
  for (const row of rows) {
    const name = row.name.trim();
    const key = `env.${row.id}`;
    const problem = !name
      ? "enter a name for this value"
      : (envNameProblem(name) ??
        (seen.has(name)
          ? "this name is already in the list; each variable needs its own name"
          : kept.has(name)
            ? "this variable already exists: use “Replace value” on it above"
            : null));
    if (problem) errors[`${key}.name`] = sentence(problem);
    if (row.value.length > ENV_VALUE_MAX_LENGTH) {
      errors[`${key}.value`] = `Must be at most ${ENV_VALUE_MAX_LENGTH} characters`;
    }
    seen.add(name);
  }
  for (const edit of values.envEdits) {
    if (edit.action === "replace" && edit.value.length > ENV_VALUE_MAX_LENGTH) {
      errors[`envEdit.${edit.name}`] = `Must be at most ${ENV_VALUE_MAX_LENGTH} characters`;
    }
  }
  const total = new Set([...kept, ...seen]).size;
  if (total > MAX_ENV_VARS) {
    errors.env = `A server may have at most ${MAX_ENV_VARS} variables (this would be ${total})`;
  }
  return errors;
}

/** Header rows of a remote source; HTTP header names are case-insensitive, so duplicates are too. */
function validateHeaders(headers: readonly Row[]): FormErrors {
  const errors: FormErrors = {};
  const rows = filledRows(headers);
  const seen = new Set<string>();
  for (const row of rows) {
    const name = row.name.trim();
    const key = `source.headers.${row.id}`;
    const problem = !name
      ? "enter a header name"
      : (textProblem(HEADER_NAME, name) ??
        (seen.has(name.toLowerCase()) ? "this header is already in the list" : null));
    if (problem) errors[`${key}.name`] = sentence(problem);
    if (row.value.length > HEADER_VALUE_MAX_LENGTH) {
      errors[`${key}.value`] = `Must be at most ${HEADER_VALUE_MAX_LENGTH} characters`;
    }
    seen.add(name.toLowerCase());
  }
  if (rows.length > MAX_HEADERS) errors["source.headers"] = `At most ${MAX_HEADERS} headers`;
  return errors;
}

/** A field the API named in a validation failure. */
export interface ApiFieldError {
  field: string;
  detail: string;
}

/**
 * Places the API's field errors on the form's fields: `source.args.3` on the arguments,
 * `env.API_KEY` on the row (or current variable) named API_KEY. `rendered` says which keys the
 * form shows; the API fields placed are returned as `shown`, so that the alert lists only the rest.
 */
export function placeApiErrors(
  apiErrors: readonly ApiFieldError[],
  values: ServerFormValues,
  rendered: (key: string) => boolean,
): { errors: FormErrors; shown: string[] } {
  const errors: FormErrors = {};
  const shown: string[] = [];
  for (const { field, detail } of apiErrors) {
    const key = formKeyOf(field, values);
    if (!key || !rendered(key)) continue;
    errors[key] = errors[key] ? `${errors[key]}; ${detail}` : sentence(detail);
    shown.push(field);
  }
  return { errors, shown };
}

function formKeyOf(field: string, values: ServerFormValues): string | null {
  const [head = "", second, ...rest] = field.split(".");
  if (head === "source") {
    if (second === undefined || second === "type") return "source.type";
    if (second === "args" || second === "command") return `source.${second}`;
    if (second === "headers") {
      const name = rest.join(".");
      const row = values.source.headers.find((h) => h.name.trim() === name);
      return row ? `source.headers.${row.id}.name` : "source.headers";
    }
    return `source.${second}`;
  }
  if (head === "env") {
    if (second === undefined) return "env";
    // Variable names hold no dots, but the path is split on them: join the rest back.
    const name = [second, ...rest].join(".");
    const row = values.env.find((r) => r.name.trim() === name);
    if (row) return `env.${row.id}.name`;
    return values.envEdits.some((e) => e.name === name) ? `envEdit.${name}` : "env";
  }
  if (head === "transport") {
    return second === "port" || second === "path" ? `transport.${second}` : "transport";
  }
  if (head === "limits") return second ? `limits.${second}` : null;
  return head || null;
}

const FORM_KEYS = new Set([
  "name",
  "slug",
  "description",
  "orgId",
  "source.type",
  "source.package",
  "source.version",
  "source.image",
  "source.command",
  "source.args",
  "source.url",
  "source.headers",
  "transport",
  "transport.port",
  "transport.path",
  "runtime",
  "sessionMode",
  "maxSessions",
  "limits.memoryMb",
  "limits.cpus",
  "limits.pids",
  "network",
  "gpu",
  "public",
  "env",
]);

/** Whether the server forms show a message for `key` next to a control (rows included). */
export function isFormKey(key: string): boolean {
  return FORM_KEYS.has(key) || /^(env|source\.headers)\.row\d+\.(name|value)$/.test(key);
}
