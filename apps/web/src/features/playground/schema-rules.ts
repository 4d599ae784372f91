import type { FieldDescriptor, NumberBounds, ScalarField } from "./schema-form";

/**
 * The constraints a JSON Schema puts on one value (length, pattern, bounds), in the two ways the
 * form speaks of them: as a hint before anything is typed, and as the problem with what was.
 */

/** What is wrong with a text, or null. */
export function textProblem(field: ScalarField & { kind: "string" }, text: string): string | null {
  const length = [...text].length; // JSON Schema counts code points, not UTF-16 units
  if (field.minLength !== undefined && length < field.minLength) {
    return `Enter at least ${characters(field.minLength)}.`;
  }
  if (field.maxLength !== undefined && length > field.maxLength) {
    return `Enter at most ${characters(field.maxLength)}.`;
  }
  if (field.pattern !== undefined && !matches(field.pattern, text)) {
    return `Must match the pattern ${field.pattern}`;
  }
  return null;
}

/** What is wrong with a number that parsed, or null. */
export function numberProblem(bounds: NumberBounds, n: number): string | null {
  if (bounds.minimum !== undefined && n < bounds.minimum) {
    return `Must be at least ${bounds.minimum}.`;
  }
  if (bounds.maximum !== undefined && n > bounds.maximum) {
    return `Must be at most ${bounds.maximum}.`;
  }
  if (bounds.exclusiveMinimum !== undefined && n <= bounds.exclusiveMinimum) {
    return `Must be more than ${bounds.exclusiveMinimum}.`;
  }
  if (bounds.exclusiveMaximum !== undefined && n >= bounds.exclusiveMaximum) {
    return `Must be less than ${bounds.exclusiveMaximum}.`;
  }
  return null;
}

/** What a field's value must be, said up front ("Whole number from 1 to 10"), or "". */
export function rulesText(field: FieldDescriptor): string {
  switch (field.kind) {
    case "number":
    case "integer": {
      const kind = field.kind === "integer" ? "Whole number" : "Number";
      const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = field;
      if (minimum !== undefined && maximum !== undefined) {
        return `${kind} from ${minimum} to ${maximum}`;
      }
      const limits = [
        minimum !== undefined ? `at least ${minimum}` : null,
        exclusiveMinimum !== undefined ? `more than ${exclusiveMinimum}` : null,
        maximum !== undefined ? `at most ${maximum}` : null,
        exclusiveMaximum !== undefined ? `less than ${exclusiveMaximum}` : null,
      ].filter(Boolean);
      return limits.length ? `${kind}, ${limits.join(" and ")}` : kind;
    }
    case "string": {
      const limits = [
        field.minLength ? `at least ${characters(field.minLength)}` : null,
        field.maxLength !== undefined ? `at most ${characters(field.maxLength)}` : null,
        field.pattern ? `matching ${field.pattern}` : null,
      ].filter(Boolean);
      return limits.length ? `Text, ${limits.join(", ")}` : "";
    }
    case "array": {
      const of = { string: "texts", enum: "choices", number: "numbers", integer: "whole numbers" };
      return `A list of ${of[field.item.kind]}; blank items are left out`;
    }
    case "json":
      return `Enter as JSON, since ${field.reason}`;
    default:
      return "";
  }
}

function characters(n: number): string {
  return `${n} character${n === 1 ? "" : "s"}`;
}

/** A pattern the browser cannot compile is not held against the reader: the server judges. */
function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, "u").test(text);
  } catch {
    return true;
  }
}
