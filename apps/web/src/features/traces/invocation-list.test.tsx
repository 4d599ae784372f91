// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InvocationList } from "./invocation-list";
import { TraceFilterBar } from "./trace-filter-bar";
import { invocation } from "./trace-fixtures";

afterEach(cleanup);

describe("the invocation rows", () => {
  it("show each request's fields, the outcome in words, and open by keyboard", async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    const failed = invocation(8, {
      isError: true,
      error: { code: -32602, message: "Unknown tool" },
      target: "nope",
      direction: "server",
      latencyMs: 2500,
    });
    render(<InvocationList items={[failed, invocation(7)]} onOpen={onOpen} />);

    const [first, second] = screen.getAllByRole("button");
    expect(first?.textContent).toContain("tools/call");
    expect(first?.textContent).toContain("nope");
    expect(first?.textContent).toContain("from server");
    expect(first?.textContent).toContain("2.5 s");
    expect(within(first as HTMLElement).getByText(/error/).textContent).toBe("✕ error");
    expect(second?.textContent).toContain("claude-code");
    expect(second?.textContent).toContain("✓ ok");

    (second as HTMLElement).focus();
    await user.keyboard("{Enter}");
    expect(onOpen).toHaveBeenCalledWith(7);
  });
});

describe("the filter bar", () => {
  it("applies a method at once and typed text on Enter", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const none = { method: "", tool: "", errorsOnly: false };
    render(<TraceFilterBar filters={none} onChange={onChange} />);

    await user.selectOptions(screen.getByLabelText("Method"), "tools/call");
    expect(onChange).toHaveBeenLastCalledWith({ ...none, method: "tools/call" });

    await user.type(screen.getByLabelText("Tool or target"), "echo{Enter}");
    expect(onChange).toHaveBeenLastCalledWith({ ...none, tool: "echo" });

    await user.click(screen.getByLabelText("Errors only"));
    expect(onChange).toHaveBeenLastCalledWith({ ...none, tool: "echo", errorsOnly: true });
  });

  it("takes any other method as text", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(
      <TraceFilterBar
        filters={{ method: "x/custom", tool: "", errorsOnly: false }}
        onChange={onChange}
      />,
    );
    expect((screen.getByLabelText("Method") as HTMLSelectElement).value).toBe("__other");
    const other = screen.getByLabelText("Other method") as HTMLInputElement;
    expect(other.value).toBe("x/custom");
    await user.clear(other);
    await user.type(other, "y/custom{Enter}");
    expect(onChange).toHaveBeenLastCalledWith({ method: "y/custom", tool: "", errorsOnly: false });
  });
});
