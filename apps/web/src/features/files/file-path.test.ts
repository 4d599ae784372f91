import { describe, expect, it } from "vitest";
import { depthOf, fileUrl, normalizeFolder, uploadPath } from "./file-path";

describe("server file paths in URLs", () => {
  it("encodes each segment and keeps the slashes between them", () => {
    expect(fileUrl("srv_1", "reports/2024 Q1/a#b?.csv")).toBe(
      "/api/servers/srv_1/files/reports/2024%20Q1/a%23b%3F.csv",
    );
    expect(fileUrl("srv_1", "ünï.txt")).toBe("/api/servers/srv_1/files/%C3%BCn%C3%AF.txt");
  });

  it("puts uploads in the folder given, however it is written", () => {
    expect(normalizeFolder(" /reports//2024/ ")).toBe("reports/2024");
    expect(uploadPath("", "a.txt")).toBe("a.txt");
    expect(uploadPath("reports/", "a.txt")).toBe("reports/a.txt");
    expect(depthOf("a/b/c.txt")).toBe(2);
  });
});
