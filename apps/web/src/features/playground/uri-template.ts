/**
 * Resource templates (`resources/templates/list`) are RFC 6570 URI templates. This expands the
 * operators MCP servers use (levels 1 to 3, plus the `:n` prefix and `*` explode modifiers on
 * single values), which is enough to build the URI a reader asks for from a form of variables.
 */

interface Operator {
  first: string;
  separator: string;
  /** `;`, `?` and `&` write `name=value`. */
  named: boolean;
  /** What a named variable with an empty value writes after its name. */
  ifEmpty: string;
  /** `+` and `#` keep reserved characters (`/`, `?`, ...) as they are. */
  allowReserved: boolean;
}

const OPERATORS: Record<string, Operator> = {
  "": { first: "", separator: ",", named: false, ifEmpty: "", allowReserved: false },
  "+": { first: "", separator: ",", named: false, ifEmpty: "", allowReserved: true },
  "#": { first: "#", separator: ",", named: false, ifEmpty: "", allowReserved: true },
  ".": { first: ".", separator: ".", named: false, ifEmpty: "", allowReserved: false },
  "/": { first: "/", separator: "/", named: false, ifEmpty: "", allowReserved: false },
  ";": { first: ";", separator: ";", named: true, ifEmpty: "", allowReserved: false },
  "?": { first: "?", separator: "&", named: true, ifEmpty: "=", allowReserved: false },
  "&": { first: "&", separator: "&", named: true, ifEmpty: "=", allowReserved: false },
};

const EXPRESSION = /\{([^{}]*)\}/g;

export interface TemplateVariable {
  name: string;
  /** Simple `{name}` and path-like expansions are needed to make sense; `{?name}` ones are not. */
  required: boolean;
}

/** The variables a template names, each once, in order. */
export function templateVariables(template: string): TemplateVariable[] {
  const seen = new Map<string, TemplateVariable>();
  for (const [, body = ""] of template.matchAll(EXPRESSION)) {
    const { operator, names } = parseExpression(body);
    for (const name of names) {
      if (!seen.has(name)) seen.set(name, { name, required: !operator.named });
    }
  }
  return [...seen.values()];
}

/** The URI for these values; a variable without a value expands to nothing, as the RFC says. */
export function expandTemplate(template: string, values: Record<string, string>): string {
  return template.replace(EXPRESSION, (_, body: string) => {
    const { operator, specs } = parseExpression(body);
    const parts: string[] = [];
    for (const spec of specs) {
      const raw = values[spec.name];
      if (raw === undefined || (raw === "" && !operator.named)) continue;
      const value = encode(spec.prefix ? [...raw].slice(0, spec.prefix).join("") : raw, operator);
      if (!operator.named) parts.push(value);
      else parts.push(value === "" ? `${spec.name}${operator.ifEmpty}` : `${spec.name}=${value}`);
    }
    return parts.length ? operator.first + parts.join(operator.separator) : "";
  });
}

function parseExpression(body: string) {
  const operatorChar = body[0] !== undefined && body[0] in OPERATORS ? body[0] : "";
  const operator = OPERATORS[operatorChar] as Operator;
  const specs = body
    .slice(operatorChar.length)
    .split(",")
    .map((part) => {
      const [, name = "", prefix] = /^([^:*]*)(?::(\d+))?\*?$/.exec(part.trim()) ?? [];
      return { name, prefix: prefix ? Number(prefix) : 0 };
    })
    .filter((spec) => spec.name !== "");
  return { operator, specs, names: specs.map((s) => s.name) };
}

function encode(value: string, operator: Operator): string {
  if (!operator.allowReserved) return encodeURIComponent(value).replace(/[!'()*]/g, hex);
  // Reserved characters pass, but anything else outside the URI alphabet is still escaped.
  return encodeURI(value).replace(/%25([0-9A-Fa-f]{2})/g, "%$1");
}

function hex(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}
