// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { type FormEvent, useRef, useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { errorsByPath, focusFirstError, SchemaFields } from "./schema-fields";
import { buildArguments, describeSchema, initialDraft } from "./schema-form";

const schema = {
  type: "object",
  properties: {
    message: { type: "string", description: "Message to echo" },
    count: { type: "integer", minimum: 1, default: 2 },
    level: { type: "string", enum: ["low", "high"] },
    loud: { type: "boolean", default: false },
    tags: { type: "array", items: { type: "string" } },
    address: {
      type: "object",
      title: "Address",
      properties: { city: { type: "string" } },
      required: ["city"],
    },
  },
  required: ["message"],
};

/** A form as the playground wires one: Run builds the arguments or shows the errors. */
function Harness({ onRun }: { onRun: (args: Record<string, unknown>) => void }) {
  const { fields } = describeSchema(schema);
  const [draft, setDraft] = useState(() => initialDraft(fields));
  const [tried, setTried] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const built = buildArguments(fields, draft);
  function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (built.errors.length > 0) return focusFirstError(ref.current, built.errors);
    onRun(built.args);
  }
  return (
    <form ref={ref} onSubmit={submit} noValidate>
      <SchemaFields
        fields={fields}
        draft={draft}
        errors={tried ? errorsByPath(built.errors) : {}}
        onChange={setDraft}
      />
      <button type="submit">Run</button>
    </form>
  );
}

afterEach(cleanup);

/** What a screen reader reads after the label: the elements aria-describedby names. */
function descriptionOf(element: HTMLElement): string {
  const ids = element.getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
}

describe("a form generated from a tool's input schema", () => {
  it("turns what the reader enters into the tool's arguments", async () => {
    const user = userEvent.setup();
    const runs: Record<string, unknown>[] = [];
    render(<Harness onRun={(args) => runs.push(args)} />);

    await user.type(screen.getByLabelText("message (required)"), "hello");
    const count = screen.getByLabelText("count");
    await user.clear(count);
    await user.type(count, "5");
    await user.selectOptions(screen.getByLabelText("level"), "high");
    await user.click(screen.getByLabelText("loud"));
    await user.click(screen.getByRole("button", { name: "Add item" }));
    await user.keyboard("red");
    await user.click(screen.getByRole("button", { name: "Add item" }));
    await user.keyboard("blue");
    await user.click(screen.getByRole("button", { name: "Add item" }));
    await user.keyboard("green");
    await user.click(screen.getByRole("button", { name: "Remove item 3" }));
    await user.type(screen.getByLabelText("city (required)"), "Oslo");
    await user.click(screen.getByRole("button", { name: "Run" }));

    expect(runs).toEqual([
      {
        message: "hello",
        count: 5,
        level: "high",
        loud: true,
        tags: ["red", "blue"],
        address: { city: "Oslo" },
      },
    ]);
  });

  it("shows descriptions as hints tied to their control", () => {
    render(<Harness onRun={() => undefined} />);
    expect(descriptionOf(screen.getByLabelText("message (required)"))).toBe("Message to echo");
  });

  it("says what is missing next to the field, focuses it and sends nothing", async () => {
    const user = userEvent.setup();
    const runs: Record<string, unknown>[] = [];
    render(<Harness onRun={(args) => runs.push(args)} />);

    await user.click(screen.getByRole("button", { name: "Run" }));

    const message = screen.getByLabelText("message (required)");
    expect(runs).toEqual([]);
    expect(message.getAttribute("aria-invalid")).toBe("true");
    expect(descriptionOf(message)).toBe("⚠ This field is required. Message to echo");
    expect(document.activeElement).toBe(message);

    await user.type(message, "hi");
    expect(message.getAttribute("aria-invalid")).toBeNull();
  });
});
