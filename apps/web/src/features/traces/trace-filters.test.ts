import { describe, expect, it } from "vitest";
import {
  filtersFromParams,
  invocationQuery,
  invocationStreamUrl,
  mergeInvocations,
  outcomeOf,
  traceIdFromParams,
  withFilters,
  withTraceId,
} from "./trace-filters";
import { invocation } from "./trace-fixtures";

describe("trace filters in the URL and the API query", () => {
  it("read from the URL, ignoring what is not theirs", () => {
    const params = new URLSearchParams("method=tools/call&tool=%20echo%20&error=true&trace=7");
    expect(filtersFromParams(params)).toEqual({
      method: "tools/call",
      tool: "echo",
      errorsOnly: true,
    });
    expect(filtersFromParams(new URLSearchParams("error=yes"))).toEqual({
      method: "",
      tool: "",
      errorsOnly: false,
    });
  });

  it("write into the URL, dropping empty ones and keeping the open trace", () => {
    const params = new URLSearchParams("method=ping&trace=7");
    const next = withFilters(params, { method: "", tool: "add", errorsOnly: true });
    expect(next.toString()).toBe("trace=7&tool=add&error=true");
    expect(filtersFromParams(next)).toEqual({ method: "", tool: "add", errorsOnly: true });
  });

  it("become the same query for the list and the stream", () => {
    const filters = { method: "resources/read", tool: "file:///a b", errorsOnly: true };
    expect(invocationQuery(filters)).toEqual({
      method: "resources/read",
      tool: "file:///a b",
      error: "true",
    });
    expect(invocationQuery({ method: "", tool: "", errorsOnly: false })).toEqual({});

    const url = new URL(invocationStreamUrl("srv_1", filters, 42), "http://host");
    expect(url.pathname).toBe("/api/servers/srv_1/invocations/stream");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      method: "resources/read",
      tool: "file:///a b",
      error: "true",
      after: "42",
    });
  });

  it("name the trace to open, and only a real id", () => {
    expect(traceIdFromParams(new URLSearchParams("trace=15"))).toBe(15);
    expect(traceIdFromParams(new URLSearchParams("trace=abc"))).toBeNull();
    expect(traceIdFromParams(new URLSearchParams(""))).toBeNull();
    expect(withTraceId(new URLSearchParams("tool=x&trace=3"), null).toString()).toBe("tool=x");
  });
});

describe("the list of invocations", () => {
  it("merges live ones and pages newest first, each once", () => {
    const merged = mergeInvocations(
      [invocation(12), invocation(11)],
      [[invocation(11), invocation(10)], [invocation(9)]],
    );
    expect(merged.map((i) => i.id)).toEqual([12, 11, 10, 9]);
  });

  it("says how each one ended in words", () => {
    expect(outcomeOf(invocation(1)).label).toBe("ok");
    expect(outcomeOf(invocation(1, { isError: true })).label).toBe("tool error");
    const failed = { code: -32602, message: "bad params" };
    expect(outcomeOf(invocation(1, { isError: true, error: failed }))).toEqual({
      kind: "error",
      label: "error",
      icon: "✕",
    });
    const cancelled = { code: -32800, message: "cancelled" };
    expect(outcomeOf(invocation(1, { isError: true, error: cancelled })).label).toBe("cancelled");
    const note = invocation(1, { method: "notifications/initialized", latencyMs: null });
    expect(outcomeOf(note).kind).toBe("sent");
  });
});
