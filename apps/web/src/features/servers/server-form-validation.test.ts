import { describe, expect, it } from "vitest";
import { placeApiErrors, validateServerForm } from "./server-form-validation";
import { emptyServerForm, newRow, type ServerFormValues } from "./server-form-values";

/** A form a user could send as is: the example package, everything else as the page opens. */
function validForm(change: (values: ServerFormValues) => void = () => {}): ServerFormValues {
  const values = emptyServerForm("", "@modelcontextprotocol/server-everything");
  values.name = "Everything";
  change(values);
  return values;
}

describe("checking the new-server form before it is sent", () => {
  it("accepts the example package with the defaults the page opens with", () => {
    expect(validateServerForm(validForm())).toEqual({});
  });

  it("asks for a name and a package", () => {
    const errors = validateServerForm(emptyServerForm(""));
    expect(errors.name).toBe("Enter a name");
    expect(errors["source.package"]).toBe("Enter the package name");
  });

  it("refuses a package name npm would refuse, with the API's own words", () => {
    const errors = validateServerForm(validForm((v) => (v.source.package = "My Server")));
    expect(errors["source.package"]).toBe("Must be an npm package name");
  });

  it("refuses a version that is a URL or a path", () => {
    const errors = validateServerForm(
      validForm((v) => (v.source.version = "https://example.com/x.tgz")),
    );
    expect(errors["source.version"]).toMatch(/no URLs or paths/);
  });

  it("needs a port when the server speaks HTTP, and one in range", () => {
    const missing = validateServerForm(validForm((v) => (v.transport.type = "http")));
    expect(missing["transport.port"]).toBe("Enter the port the server listens on");
    const outOfRange = validateServerForm(
      validForm((v) => (v.transport = { type: "http", port: "70000", path: "/mcp" })),
    );
    expect(outOfRange["transport.port"]).toBe("Must be between 1 and 65535");
  });

  it("ignores the port while the transport is stdio", () => {
    expect(validateServerForm(validForm((v) => (v.transport.port = "nope")))).toEqual({});
  });

  it("refuses variable names MCP Host keeps for itself", () => {
    const row = newRow("MCPHOST_TOKEN", "x");
    const errors = validateServerForm(validForm((v) => (v.env = [row])));
    expect(errors[`env.${row.id}.name`]).toBe("Names starting with MCPHOST_ are reserved");
  });

  it("refuses the same variable twice, marking the second", () => {
    const first = newRow("API_KEY", "a");
    const second = newRow("API_KEY", "b");
    const errors = validateServerForm(validForm((v) => (v.env = [first, second])));
    expect(errors[`env.${first.id}.name`]).toBeUndefined();
    expect(errors[`env.${second.id}.name`]).toMatch(/already in the list/);
  });

  it("skips rows left empty, but wants a name for a value", () => {
    const empty = newRow();
    const nameless = newRow("", "secret");
    const errors = validateServerForm(validForm((v) => (v.env = [empty, nameless])));
    expect(Object.keys(errors)).toEqual([`env.${nameless.id}.name`]);
  });

  it("in settings, sends a user to the current variable instead of adding it again", () => {
    const row = newRow("API_KEY", "new");
    const values = validForm((v) => {
      v.envEdits = [{ name: "API_KEY", action: "keep", value: "" }];
      v.env = [row];
    });
    expect(validateServerForm(values)[`env.${row.id}.name`]).toMatch(/Replace value/);
    values.envEdits = [{ name: "API_KEY", action: "delete", value: "" }];
    expect(validateServerForm(values)).toEqual({});
  });

  it("keeps memory, CPUs and processes within the API's ranges", () => {
    const errors = validateServerForm(
      validForm((v) => (v.limits = { memoryMb: "8", cpus: "0.5", pids: "12.5" })),
    );
    expect(errors["limits.memoryMb"]).toBe("Must be between 16 and 65536");
    expect(errors["limits.cpus"]).toBeUndefined();
    expect(errors["limits.pids"]).toBe("Must be a whole number");
  });

  it("checks a slug only when one is given", () => {
    expect(validateServerForm(validForm((v) => (v.slug = "")))).toEqual({});
    expect(validateServerForm(validForm((v) => (v.slug = "My Slug")))).toHaveProperty("slug");
  });

  it("wants an http(s) URL for a remote server, and no transport", () => {
    const errors = validateServerForm(
      validForm((v) => {
        v.source.type = "remote";
        v.source.url = "ftp://example.com";
        v.transport.type = "http";
      }),
    );
    expect(errors).toEqual({ "source.url": "Must start with https:// or http://" });
  });
});

describe("placing the API's field errors on the form", () => {
  it("puts each next to its field and reports which it placed", () => {
    const row = newRow("bad key", "x");
    const values = validForm((v) => (v.env = [row]));
    const { errors, shown } = placeApiErrors(
      [
        { field: "source.package", detail: "must be an npm package name" },
        { field: "source.args.2", detail: "too long" },
        { field: "env.bad key", detail: "must be a variable name" },
        { field: "transport", detail: "Invalid input" },
        { field: "slug", detail: "is taken" },
        { field: "", detail: "something about the whole body" },
      ],
      values,
      (key) => key !== "slug",
    );
    expect(errors).toEqual({
      "source.package": "Must be an npm package name",
      "source.args": "Too long",
      [`env.${row.id}.name`]: "Must be a variable name",
      transport: "Invalid input",
    });
    expect(shown).toEqual(["source.package", "source.args.2", "env.bad key", "transport"]);
  });
});
