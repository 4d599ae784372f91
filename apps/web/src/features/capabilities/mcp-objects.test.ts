import { describe, expect, it } from "vitest";
import { annotationBadges, toPrompt, toTool } from "./mcp-objects";

describe("reading the tools and prompts discovery stored", () => {
  it("badges only what the tool's annotations state", () => {
    const labels = (annotations: unknown) =>
      annotationBadges(toTool({ name: "t", annotations }).annotations).map((b) => b.label);
    expect(labels(undefined)).toEqual([]);
    expect(labels({ readOnlyHint: true, destructiveHint: true, openWorldHint: false })).toEqual([
      "read-only",
      "closed-world",
    ]);
    expect(labels({ destructiveHint: true, idempotentHint: true, openWorldHint: true })).toEqual([
      "destructive",
      "idempotent",
      "open-world",
    ]);
  });

  it("keeps fields of the right type and drops the rest", () => {
    expect(
      toTool({ name: 7, description: "d", annotations: { title: "T", readOnlyHint: "yes" } }),
    ).toEqual({
      name: "(unnamed)",
      title: "T",
      description: "d",
      annotations: {},
    });
    expect(toPrompt({ name: "p", arguments: [{ name: "a", required: true }, "junk"] })).toEqual({
      name: "p",
      arguments: [
        { name: "a", required: true },
        { name: "(unnamed)", required: false },
      ],
    });
  });
});
