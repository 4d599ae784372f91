import { describe, expect, it } from "vitest";
import { expandTemplate, templateVariables } from "./uri-template";

describe("resource templates", () => {
  it("names each variable once; query variables are optional", () => {
    expect(templateVariables("demo://resource/dynamic/text/{resourceId}")).toEqual([
      { name: "resourceId", required: true },
    ]);
    expect(templateVariables("repo://{owner}/{repo}/issues{?state,owner}")).toEqual([
      { name: "owner", required: true },
      { name: "repo", required: true },
      { name: "state", required: false },
    ]);
  });

  it("expands simple variables, escaping what would change the URI's shape", () => {
    expect(expandTemplate("demo://resource/dynamic/text/{resourceId}", { resourceId: "7" })).toBe(
      "demo://resource/dynamic/text/7",
    );
    expect(expandTemplate("file:///{name}", { name: "a b/c" })).toBe("file:///a%20b%2Fc");
  });

  it("keeps reserved characters for + and #, and writes query and path forms", () => {
    expect(expandTemplate("file:///{+path}", { path: "docs/a b.md" })).toBe(
      "file:///docs/a%20b.md",
    );
    expect(expandTemplate("x://s{?q,page}", { q: "mcp", page: "" })).toBe("x://s?q=mcp&page=");
    expect(expandTemplate("x://s{?q,page}", {})).toBe("x://s");
    expect(expandTemplate("x://r{/a,b}", { a: "1", b: "2" })).toBe("x://r/1/2");
    expect(expandTemplate("x://{name:3}", { name: "abcdef" })).toBe("x://abc");
  });
});
