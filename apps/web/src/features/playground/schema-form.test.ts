import { describe, expect, it } from "vitest";
import {
  buildArguments,
  type DraftObject,
  describeSchema,
  draftFromArguments,
  type FieldDescriptor,
  initialDraft,
  parseArgumentsJson,
  promptSchema,
} from "./schema-form";
import { rulesText } from "./schema-rules";

/** Shapes as server-everything and typical SDK servers publish them. */
const echo = {
  type: "object",
  properties: { message: { type: "string", description: "Message to echo" } },
  required: ["message"],
  $schema: "http://json-schema.org/draft-07/schema#",
};
const add = {
  type: "object",
  properties: {
    a: { type: "number", description: "First number" },
    b: { type: "number", description: "Second number" },
  },
  required: ["a", "b"],
};
const annotated = {
  type: "object",
  properties: {
    messageType: { type: "string", enum: ["error", "success", "debug"] },
    includeImage: { type: "boolean", default: false },
  },
  required: ["messageType"],
};
const rich = {
  type: "object",
  properties: {
    tags: { type: "array", items: { type: "string" }, minItems: 1 },
    count: { type: "integer", minimum: 1, maximum: 10, default: 3 },
    address: {
      type: "object",
      title: "Address",
      properties: { city: { type: "string" }, zip: { type: "string", pattern: "^[0-9]{5}$" } },
      required: ["city"],
    },
    choice: { oneOf: [{ type: "string" }, { type: "number" }] },
    nickname: { type: ["string", "null"], maxLength: 5 },
  },
};

function fieldsOf(schema: unknown): FieldDescriptor[] {
  const model = describeSchema(schema);
  expect(model.formable).toBe(true);
  return model.fields;
}

function build(schema: unknown, draft: (initial: DraftObject) => DraftObject) {
  const fields = fieldsOf(schema);
  return buildArguments(fields, draft(initialDraft(fields)));
}

describe("describing a tool's input schema as form fields", () => {
  it("reads echo as one required text field with its description", () => {
    expect(fieldsOf(echo)).toEqual([
      {
        key: "message",
        path: "message",
        label: "message",
        description: "Message to echo",
        required: true,
        kind: "string",
      },
    ]);
  });

  it("reads enums, booleans, arrays, bounded integers and nested objects", () => {
    const [messageType, includeImage] = fieldsOf(annotated);
    expect(messageType).toMatchObject({ kind: "enum", options: ["error", "success", "debug"] });
    expect(includeImage).toMatchObject({ kind: "boolean", default: false, required: false });

    const [tags, count, address, choice, nickname] = fieldsOf(rich);
    expect(tags).toMatchObject({ kind: "array", item: { kind: "string" }, minItems: 1 });
    expect(count).toMatchObject({ kind: "integer", minimum: 1, maximum: 10, default: 3 });
    expect(address).toMatchObject({ kind: "object", label: "Address" });
    expect(address?.kind === "object" && address.fields.map((f) => f.path)).toEqual([
      "address.city",
      "address.zip",
    ]);
    expect(choice).toMatchObject({ kind: "json", reason: "it accepts several shapes" });
    expect(nickname).toMatchObject({ kind: "string", maxLength: 5 });
  });

  it("reads Pydantic's Optional (anyOf with null) as the inner type", () => {
    const [limit] = fieldsOf({
      type: "object",
      properties: { limit: { anyOf: [{ type: "integer" }, { type: "null" }], title: "Limit" } },
    });
    expect(limit).toMatchObject({ kind: "integer", label: "Limit" });
  });

  it("falls back to JSON for arrays of objects, free-form objects and a non-object root", () => {
    const [rows, meta] = fieldsOf({
      type: "object",
      properties: {
        rows: { type: "array", items: { type: "object", properties: {} } },
        meta: { type: "object", additionalProperties: true },
      },
    });
    expect(rows?.kind).toBe("json");
    expect(meta?.kind).toBe("json");
    expect(describeSchema({ oneOf: [echo, add] }).formable).toBe(false);
    expect(describeSchema(undefined).formable).toBe(false);
  });

  it("turns draft-4 boolean exclusive bounds into numbers", () => {
    const [n] = fieldsOf({
      type: "object",
      properties: { n: { type: "number", minimum: 0, exclusiveMinimum: true } },
    });
    expect(n).toMatchObject({ exclusiveMinimum: 0 });
    expect(n).not.toHaveProperty("minimum");
  });
});

describe("starting values", () => {
  it("fills defaults and leaves the rest empty", () => {
    expect(initialDraft(fieldsOf(annotated))).toEqual({ messageType: "", includeImage: false });
    expect(initialDraft(fieldsOf(rich))).toEqual({
      tags: [],
      count: "3",
      address: { city: "", zip: "" },
      choice: "",
      nickname: "",
    });
  });
});

describe("building the arguments", () => {
  it("sends echo's message as typed", () => {
    expect(build(echo, () => ({ message: "hello world" }))).toEqual({
      args: { message: "hello world" },
      errors: [],
    });
  });

  it("parses numbers, and says so when one does not parse", () => {
    expect(build(add, () => ({ a: " 2 ", b: "-1.5e1" })).args).toEqual({ a: 2, b: -15 });
    expect(build(add, () => ({ a: "two", b: "" })).errors).toEqual([
      { path: "a", message: "Enter a number." },
      { path: "b", message: "This field is required." },
    ]);
  });

  it("sends the chosen enum value and a boolean only when it differs from its default", () => {
    expect(build(annotated, () => ({ messageType: "1", includeImage: false })).args).toEqual({
      messageType: "success",
    });
    expect(build(annotated, () => ({ messageType: "0", includeImage: true })).args).toEqual({
      messageType: "error",
      includeImage: true,
    });
    expect(build(annotated, (d) => d).errors).toEqual([
      { path: "messageType", message: "This field is required." },
    ]);
  });

  it("checks integers against their bounds", () => {
    const count = (text: string) => build(rich, (d) => ({ ...d, count: text })).errors;
    expect(count("2.5")).toEqual([{ path: "count", message: "Enter a whole number." }]);
    expect(count("0")).toEqual([{ path: "count", message: "Must be at least 1." }]);
    expect(count("11")).toEqual([{ path: "count", message: "Must be at most 10." }]);
    expect(build(rich, (d) => d).args).toEqual({ count: 3 });
  });

  it("keeps array rows that have text, and checks how many there are", () => {
    expect(build(rich, (d) => ({ ...d, tags: ["a", "", "b c"] })).args.tags).toEqual(["a", "b c"]);
    const numbers = {
      type: "object",
      properties: { n: { type: "array", items: { type: "number" } } },
    };
    expect(build(numbers, () => ({ n: ["1", "x"] })).errors).toEqual([
      { path: "n.1", message: "Enter a number." },
    ]);
    const atLeastTwo = {
      type: "object",
      properties: { t: { type: "array", items: { type: "string" }, minItems: 2 } },
      required: ["t"],
    };
    expect(build(atLeastTwo, () => ({ t: ["only"] })).errors).toEqual([
      { path: "t", message: "Add at least 2 items." },
    ]);
  });

  it("leaves out an untouched optional object but checks one that was started", () => {
    expect(build(rich, (d) => d).args).not.toHaveProperty("address");
    const started = build(rich, (d) => ({ ...d, address: { city: "", zip: "123" } }));
    expect(started.errors).toEqual([
      { path: "address.city", message: "This field is required." },
      { path: "address.zip", message: "Must match the pattern ^[0-9]{5}$" },
    ]);
    expect(build(rich, (d) => ({ ...d, address: { city: "Oslo", zip: "" } })).args.address).toEqual(
      {
        city: "Oslo",
      },
    );
  });

  it("checks string lengths in characters, and parses JSON fields", () => {
    expect(build(rich, (d) => ({ ...d, nickname: "ÅÅÅÅÅÅ" })).errors).toEqual([
      { path: "nickname", message: "Enter at most 5 characters." },
    ]);
    expect(build(rich, (d) => ({ ...d, choice: "42" })).args.choice).toBe(42);
    expect(build(rich, (d) => ({ ...d, choice: "{" })).errors[0]?.message).toMatch(
      /^Not valid JSON/,
    );
  });

  it("leaves out every empty optional field", () => {
    const optional = {
      type: "object",
      properties: {
        s: { type: "string" },
        n: { type: "number" },
        e: { enum: ["x"] },
        f: { type: "boolean" },
        l: { type: "array", items: { type: "string" } },
        j: { type: "object" },
      },
    };
    expect(build(optional, (d) => d)).toEqual({ args: {}, errors: [] });
  });
});

describe("raw JSON and the form stay in step", () => {
  it("turns arguments back into the draft that builds them", () => {
    const fields = fieldsOf(rich);
    const args = {
      tags: ["x", "y"],
      count: 7,
      address: { city: "Rome" },
      choice: [1],
      nickname: "Al",
    };
    const draft = draftFromArguments(fields, args);
    expect(draft).toEqual({
      tags: ["x", "y"],
      count: "7",
      address: { city: "Rome", zip: "" },
      choice: "[\n  1\n]",
      nickname: "Al",
    });
    expect(buildArguments(fields, draft)).toEqual({ args, errors: [] });
  });

  it("accepts only a JSON object as the arguments", () => {
    expect(parseArgumentsJson('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseArgumentsJson("  ")).toEqual({ ok: true, value: {} });
    expect(parseArgumentsJson("[1]")).toMatchObject({ ok: false, message: /JSON object/ });
    expect(parseArgumentsJson("{a:1}")).toMatchObject({ ok: false, message: /^Not valid JSON/ });
  });
});

describe("the rules a field states up front", () => {
  it("says what kind of value and which limits", () => {
    const [tags, count, , , nickname] = fieldsOf(rich);
    expect(rulesText(count as FieldDescriptor)).toBe("Whole number from 1 to 10");
    expect(rulesText(nickname as FieldDescriptor)).toBe("Text, at most 5 characters");
    expect(rulesText(tags as FieldDescriptor)).toBe("A list of texts; blank items are left out");
    const [n] = fieldsOf({
      type: "object",
      properties: { n: { type: "number", exclusiveMinimum: 0 } },
    });
    expect(rulesText(n as FieldDescriptor)).toBe("Number, more than 0");
  });
});

describe("prompt arguments", () => {
  it("become an object schema of strings", () => {
    const schema = promptSchema([
      { name: "city", description: "Name of the city", required: true },
      { name: "state" },
    ]);
    expect(fieldsOf(schema).map((f) => [f.key, f.kind, f.required])).toEqual([
      ["city", "string", true],
      ["state", "string", false],
    ]);
  });
});
