import { numberProblem, textProblem } from "./schema-rules";

/**
 * JSON Schema → form, without React: what fields a tool's `inputSchema` asks for, what the form
 * starts with, and how what was typed becomes the arguments object (or per-field messages).
 *
 * The form keeps a *draft*: what the reader typed, as typed (numbers stay text until built), so a
 * half-typed "1e" is not lost and can be reported. `buildArguments` turns a draft into arguments.
 */

/** The JSON Schema keywords the form understands; others are carried along and ignored. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  minimum?: number;
  maximum?: number;
  /** A number since draft 6; a boolean modifying minimum in draft 4. */
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
}

interface Common {
  /** The property name. */
  key: string;
  /** Dotted from the root (`address.city`, `tags.2` for a row): names errors and controls. */
  path: string;
  label: string;
  description?: string;
  required: boolean;
  default?: unknown;
}

export interface NumberBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export type ScalarField =
  | (Common & { kind: "string"; minLength?: number; maxLength?: number; pattern?: string })
  | (Common & { kind: "number" | "integer" } & NumberBounds)
  | (Common & { kind: "enum"; options: unknown[] });

/** One control (or group of controls) of the generated form. */
export type FieldDescriptor =
  | ScalarField
  | (Common & { kind: "boolean" })
  | (Common & { kind: "array"; item: ScalarField; minItems?: number; maxItems?: number })
  | (Common & { kind: "object"; fields: FieldDescriptor[] })
  /** A value the form cannot shape (oneOf, $ref, arrays of objects...): typed as JSON. */
  | (Common & { kind: "json"; reason: string });

/**
 * What was typed: text for strings, numbers, JSON and enums (the chosen option's index, "" for
 * none), a boolean for a checkbox, one text per row for arrays, and a nested draft for objects.
 */
export type Draft = string | boolean | string[] | DraftObject;
export interface DraftObject {
  [key: string]: Draft;
}

export interface FieldError {
  path: string;
  message: string;
}

export interface FormModel {
  fields: FieldDescriptor[];
  /** False when the schema is not an object of properties: only raw JSON can express it. */
  formable: boolean;
}

/** The form for a tool's `inputSchema` (an object schema, by the MCP spec). */
export function describeSchema(schema: unknown): FormModel {
  const root = isRecord(schema) ? unwrapNullable(schema as JsonSchema) : {};
  const isObject = root.type === "object" || (root.type === undefined && isRecord(root.properties));
  if (!isObject || root.oneOf || root.anyOf || root.allOf || root.$ref) {
    return { fields: [], formable: false };
  }
  return { fields: describeProperties(root, ""), formable: true };
}

function describeProperties(schema: JsonSchema, parentPath: string): FieldDescriptor[] {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties ?? {}).map(([key, property]) =>
    describeField(
      key,
      joinPath(parentPath, key),
      isRecord(property) ? property : {},
      required.has(key),
    ),
  );
}

function describeField(
  key: string,
  path: string,
  raw: JsonSchema,
  required: boolean,
): FieldDescriptor {
  const schema = unwrapNullable(raw);
  const common: Common = {
    key,
    path,
    label: schema.title || key,
    required,
    ...(schema.description ? { description: schema.description } : {}),
    ...(schema.default !== undefined ? { default: schema.default } : {}),
  };
  const json = (reason: string): FieldDescriptor => ({ ...common, kind: "json", reason });
  if (schema.oneOf || schema.anyOf || schema.allOf) return json("it accepts several shapes");
  if (schema.$ref) return json("it refers to another schema");
  const scalar = describeScalar(common, schema);
  if (scalar) return scalar;
  if (schema.type === "boolean") return { ...common, kind: "boolean" };
  if (schema.type === "array") {
    const items = isRecord(schema.items) ? unwrapNullable(schema.items as JsonSchema) : null;
    const item = items && describeScalar({ key, path, label: "Item", required: true }, items);
    if (!item) return json("its items are not plain values");
    return { ...common, kind: "array", item, ...pick(schema, ["minItems", "maxItems"]) };
  }
  if (schema.type === "object" || (schema.type === undefined && isRecord(schema.properties))) {
    if (!isRecord(schema.properties) || Object.keys(schema.properties).length === 0) {
      return json("its keys are free-form");
    }
    return { ...common, kind: "object", fields: describeProperties(schema, path) };
  }
  return json(schema.type ? `its type is ${String(schema.type)}` : "any value is allowed");
}

function describeScalar(common: Common, schema: JsonSchema): ScalarField | null {
  if (Array.isArray(schema.enum)) return { ...common, kind: "enum", options: schema.enum };
  if (schema.const !== undefined) return { ...common, kind: "enum", options: [schema.const] };
  if (schema.type === "string") {
    return { ...common, kind: "string", ...pick(schema, ["minLength", "maxLength", "pattern"]) };
  }
  if (schema.type === "number" || schema.type === "integer") {
    return { ...common, kind: schema.type, ...boundsOf(schema) };
  }
  return null;
}

/** `["string", "null"]` and `anyOf: [X, {type: "null"}]` (how Pydantic writes Optional) read as X. */
function unwrapNullable(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== "null");
    return types.length === 1 ? { ...schema, type: types[0] as string } : schema;
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length === 2) {
    const other = alternatives.filter((s) => !(isRecord(s) && s.type === "null"));
    if (other.length === 1 && isRecord(other[0])) {
      const { anyOf: _a, oneOf: _o, ...outer } = schema;
      return unwrapNullable({ ...other[0], ...outer });
    }
  }
  return schema;
}

function boundsOf(schema: JsonSchema): NumberBounds {
  const bounds: NumberBounds = pick(schema, ["minimum", "maximum"]);
  for (const [exclusive, inclusive] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    const value = schema[exclusive];
    if (typeof value === "number") bounds[exclusive] = value;
    else if (value === true && typeof schema[inclusive] === "number") {
      bounds[exclusive] = schema[inclusive];
      delete bounds[inclusive];
    }
  }
  return bounds;
}

// ---- Drafts ----

/** The form as it first appears: every field at its schema default, or empty. */
export function initialDraft(fields: readonly FieldDescriptor[]): DraftObject {
  return Object.fromEntries(fields.map((f) => [f.key, draftOf(f, f.default)]));
}

/**
 * The draft that shows `args` (what the raw JSON editor holds), so that editing the JSON moves the
 * form along. Keys the schema does not name have no control and are not kept.
 */
export function draftFromArguments(
  fields: readonly FieldDescriptor[],
  args: Record<string, unknown>,
): DraftObject {
  return Object.fromEntries(fields.map((f) => [f.key, draftOf(f, args[f.key])]));
}

function draftOf(field: FieldDescriptor, value: unknown): Draft {
  switch (field.kind) {
    case "boolean":
      return typeof value === "boolean" ? value : field.default === true;
    case "object":
      return isRecord(value) ? draftFromArguments(field.fields, value) : initialDraft(field.fields);
    case "array":
      return Array.isArray(value) ? value.map((item) => scalarText(field.item, item)) : [];
    case "json":
      return value === undefined ? "" : JSON.stringify(value, null, 2);
    default:
      return scalarText(field, value);
  }
}

function scalarText(field: ScalarField, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (field.kind === "enum") {
    const index = field.options.findIndex((o) => JSON.stringify(o) === JSON.stringify(value));
    return index < 0 ? "" : String(index);
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

// ---- Building and validating ----

export interface Built {
  /** The arguments, without empty optional fields; values that failed to parse are left out. */
  args: Record<string, unknown>;
  /** In the form's order, so the first one is the first invalid control on the page. */
  errors: FieldError[];
}

/** Marks "nothing was entered", which an optional parent may forgive (see `buildObject`). */
const MISSING = "This field is required.";

/** Coerces and checks a draft; `args` is usable whenever `errors` is empty. */
export function buildArguments(fields: readonly FieldDescriptor[], draft: DraftObject): Built {
  const errors: FieldError[] = [];
  const args: Record<string, unknown> = {};
  for (const field of fields) {
    const value = buildField(field, draft[field.key], errors);
    if (value !== undefined) args[field.key] = value;
  }
  return { args, errors };
}

function buildField(field: FieldDescriptor, draft: Draft | undefined, errors: FieldError[]) {
  const fail = (message: string) => {
    errors.push({ path: field.path, message });
    return undefined;
  };
  switch (field.kind) {
    case "boolean": {
      const checked = draft === true;
      // A checkbox is never empty; an optional one left at what the server assumes anyway is.
      return field.required || checked !== (field.default === true) ? checked : undefined;
    }
    case "object":
      return buildObject(field, isRecord(draft) ? (draft as DraftObject) : {}, errors);
    case "array": {
      const rows = Array.isArray(draft) ? draft : [];
      const items: unknown[] = [];
      rows.forEach((row, index) => {
        if (row.trim() === "") return; // a row added and left blank is no item
        const item = { ...field.item, path: joinPath(field.path, String(index)) };
        const value = buildScalar(item, row, errors);
        if (value !== undefined) items.push(value);
      });
      if (items.length === 0 && !field.required) return undefined;
      if (field.minItems !== undefined && items.length < field.minItems) {
        fail(`Add at least ${field.minItems} item${field.minItems === 1 ? "" : "s"}.`);
      } else if (field.maxItems !== undefined && items.length > field.maxItems) {
        fail(`Keep at most ${field.maxItems} item${field.maxItems === 1 ? "" : "s"}.`);
      }
      return items;
    }
    case "json": {
      const text = typeof draft === "string" ? draft.trim() : "";
      if (text === "") return field.required ? fail(MISSING) : undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        return fail(`Not valid JSON: ${(error as Error).message}`);
      }
    }
    default:
      return buildScalar(field, typeof draft === "string" ? draft : "", errors);
  }
}

/** An optional object nobody filled in is left out, forgiving its own required fields. */
function buildObject(
  field: FieldDescriptor & { kind: "object" },
  draft: DraftObject,
  errors: FieldError[],
) {
  const inner = buildArguments(field.fields, draft);
  const untouched =
    Object.keys(inner.args).length === 0 && inner.errors.every((e) => e.message === MISSING);
  if (untouched && !field.required) return undefined;
  errors.push(...inner.errors);
  return inner.args;
}

function buildScalar(field: ScalarField, text: string, errors: FieldError[]): unknown {
  const fail = (message: string) => {
    errors.push({ path: field.path, message });
    return undefined;
  };
  if (field.kind === "enum") {
    const option = text === "" ? undefined : field.options[Number(text)];
    if (option === undefined) return field.required ? fail(MISSING) : undefined;
    return option;
  }
  // Whitespace-only counts as nothing typed for numbers; for strings, only "" does.
  if (text === "" || (field.kind !== "string" && text.trim() === "")) {
    return field.required ? fail(MISSING) : undefined;
  }
  if (field.kind === "string") {
    const problem = textProblem(field, text);
    return problem ? fail(problem) : text;
  }
  const number = Number(text.trim());
  if (!Number.isFinite(number)) return fail("Enter a number.");
  if (field.kind === "integer" && !Number.isInteger(number)) return fail("Enter a whole number.");
  const problem = numberProblem(field, number);
  return problem ? fail(problem) : number;
}

/** The raw JSON editor's text as arguments: a JSON object, or why it is not one. */
export function parseArgumentsJson(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    const value = JSON.parse(text) as unknown;
    if (isRecord(value)) return { ok: true, value };
    return { ok: false, message: "The arguments must be a JSON object ({ … })." };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
  }
}

// ---- Prompts ----

/** A prompt argument, as `prompts/list` describes it: always a string. */
export interface PromptArgument {
  name: string;
  description?: string;
  required?: boolean;
}

/** The object schema a prompt's arguments amount to, so prompts use the same form. */
export function promptSchema(args: readonly PromptArgument[]): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(
      args.map((a) => [
        a.name,
        { type: "string", ...(a.description ? { description: a.description } : {}) },
      ]),
    ),
    required: args.filter((a) => a.required).map((a) => a.name),
  };
}

// ---- Helpers ----

function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pick<K extends keyof JsonSchema>(schema: JsonSchema, keys: readonly K[]) {
  const out: Partial<Pick<JsonSchema, K>> = {};
  for (const key of keys) if (schema[key] !== undefined) out[key] = schema[key];
  return out as { [P in K]?: Exclude<JsonSchema[P], boolean> };
}
