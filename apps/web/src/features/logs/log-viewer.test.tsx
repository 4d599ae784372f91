// @vitest-environment jsdom
import type { LogLine } from "@mcphost/api-client";
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { StreamState } from "../../lib/event-stream";
import { LogViewer } from "./log-viewer";
import type { LogSource } from "./use-log-tail";

const line = (id: number, text: string, stream: LogLine["stream"] = "stdout"): LogLine => ({
  id,
  time: "2026-01-01T12:00:00.000Z",
  stream,
  line: text,
});

/** A line source the test drives by hand, in place of the server's event stream. */
function fakeSource() {
  let sink: { lines(lines: LogLine[]): void; state(state: StreamState): void } | null = null;
  const source: LogSource = {
    open(s) {
      sink = s;
      return () => {
        sink = null;
      };
    },
  };
  return {
    source,
    send: (...lines: LogLine[]) => act(() => sink?.lines(lines)),
    state: (state: StreamState) => act(() => sink?.state(state)),
  };
}

function renderViewer() {
  const feed = fakeSource();
  const history = vi.fn(async (_before: number, _limit: number) => [line(1, "first ever line")]);
  render(
    <LogViewer
      serverId="srv_1"
      slug="everything"
      name="Everything"
      source={feed.source}
      history={history}
    />,
  );
  return { ...feed, history };
}

const log = () => screen.getByRole("log", { name: "Log of Everything" });

afterEach(cleanup);

describe("the log view", () => {
  it("shows buffered lines, labels stderr and system in words, and says it is live", async () => {
    const feed = renderViewer();
    expect(screen.getByRole("status")).toHaveProperty("textContent", "◌ Connecting…");
    feed.state("open");
    feed.send(line(2, "listening on stdio"), line(3, "deprecated flag", "stderr"));
    feed.send(line(4, "instance started", "system"));

    await within(log()).findByText("instance started");
    expect(screen.getByRole("status").textContent).toContain("Live");
    expect(log().getAttribute("aria-live")).toBe("off");
    expect(log().tabIndex).toBe(0);
    const stderr = within(log()).getByText("deprecated flag").closest(".log-line");
    expect(stderr?.textContent).toContain("stderr");

    feed.state("reconnecting");
    expect(screen.getByRole("status").textContent).toContain("Reconnecting…");
  });

  it("loads older lines when the top is in view, until the beginning", async () => {
    const feed = renderViewer();
    feed.send(line(2, "second line"));
    await within(log()).findByText("first ever line");
    expect(feed.history).toHaveBeenCalledWith(2, 200);
    expect(within(log()).getByText("Beginning of the log")).toBeTruthy();
  });

  it("holds new lines while paused and shows them on resume", async () => {
    const user = userEvent.setup();
    const feed = renderViewer();
    feed.send(line(2, "before pause"));
    await within(log()).findByText("before pause");

    await user.click(screen.getByRole("button", { name: "Pause" }));
    feed.send(line(5, "held one"), line(6, "held two"));
    await screen.findByText(/2 new lines/);
    expect(within(log()).queryByText("held one")).toBeNull();

    const bar = screen.getByText(/2 new lines/).closest(".logs-paused") as HTMLElement;
    await user.click(within(bar).getByRole("button", { name: "Resume" }));
    expect(within(log()).getByText("held two")).toBeTruthy();
    expect(screen.queryByText(/new lines/)).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Pause" }));
  });

  it("filters lines by search and stream, marking the matches", async () => {
    const user = userEvent.setup();
    const feed = renderViewer();
    feed.send(
      line(2, "Tool echo called"),
      line(3, "ECHO failed", "stderr"),
      line(4, "nothing here"),
    );
    await within(log()).findByText("nothing here");

    await user.type(screen.getByRole("searchbox", { name: "Search" }), "echo");
    await waitFor(() => expect(within(log()).queryByText("nothing here")).toBeNull());
    const marks = [...log().querySelectorAll("mark")].map((m) => m.textContent);
    expect(marks).toEqual(["echo", "ECHO"]);
    expect(screen.getByText(/2 of 4 lines match/)).toBeTruthy();

    await user.click(screen.getByRole("checkbox", { name: "stderr" }));
    expect(log().querySelectorAll(".log-line")).toHaveLength(1);
    expect(within(log()).queryByText("failed", { exact: false })).toBeNull();
  });
});
