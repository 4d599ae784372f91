// @vitest-environment jsdom
import type { Server } from "@mcphost/api-client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Outlet, Route, Routes, useLocation } from "react-router";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../lib/api";
import { invocation } from "./trace-fixtures";
import TracesTab from "./traces-tab";

vi.mock("../../lib/api", () => ({ api: { GET: vi.fn() } }));
const GET = api.GET as unknown as ReturnType<typeof vi.fn>;

/** jsdom has no EventSource: this one records what was opened and lets the test send events. */
class FakeEventSource {
  static CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = 1;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, (event: MessageEvent) => void>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(name: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(name, listener);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(name: string, data: unknown, id: string) {
    act(() =>
      this.listeners.get(name)?.(
        new MessageEvent(name, { data: JSON.stringify(data), lastEventId: id }),
      ),
    );
  }
}

beforeAll(() => {
  vi.stubGlobal("EventSource", FakeEventSource);
  // jsdom's <dialog> has no modal methods; the attribute is what they would toggle.
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute("open");
  };
});

beforeEach(() => {
  FakeEventSource.last = null;
  GET.mockReset();
  GET.mockResolvedValue({
    data: { items: [invocation(8), invocation(7, { target: "echo" })], nextBefore: null },
  });
});
afterEach(cleanup);

function Search() {
  return <output data-testid="search">{useLocation().search}</output>;
}

function renderAt(url: string) {
  const server = { id: "srv_1", slug: "everything", name: "Everything" } as Server;
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/servers/:serverId" element={<Outlet context={{ server }} />}>
            <Route path="traces" element={<TracesTab />} />
          </Route>
        </Routes>
        <Search />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const search = () => screen.getByTestId("search").textContent;

describe("the traces tab", () => {
  it("asks the list and the stream for the filters in the URL, and shows new ones first", async () => {
    renderAt("/servers/srv_1/traces?tool=echo&error=true");
    await screen.findAllByRole("button", { name: /tools\/call/ });
    expect(GET).toHaveBeenCalledWith("/api/servers/{serverId}/invocations", {
      params: { path: { serverId: "srv_1" }, query: { tool: "echo", error: "true", limit: 50 } },
    });
    await waitFor(() => expect(FakeEventSource.last).not.toBeNull());
    const stream = new URL(FakeEventSource.last?.url ?? "", "http://host");
    expect(Object.fromEntries(stream.searchParams)).toEqual({
      tool: "echo",
      error: "true",
      after: "8",
    });

    FakeEventSource.last?.emit("invocation", invocation(9, { method: "prompts/get" }), "9");
    const rows = screen.getAllByRole("listitem");
    expect(rows[0]?.textContent).toContain("prompts/get");
    expect(rows).toHaveLength(3);
  });

  it("opens the drawer a link names, and closing it drops the id from the URL", async () => {
    const user = userEvent.setup();
    renderAt("/servers/srv_1/traces?trace=7");
    const drawer = await screen.findByRole("dialog");
    expect(within(drawer).getByRole("heading", { level: 2 }).textContent).toBe("tools/call echo");
    expect(document.activeElement).toBe(within(drawer).getByRole("heading", { level: 2 }));
    expect(within(drawer).getByText("ses_1")).toBeTruthy();

    await user.click(within(drawer).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(search()).toBe("");
  });

  it("opens a row in the drawer and goes back to the list on close, focus on the row", async () => {
    const user = userEvent.setup();
    renderAt("/servers/srv_1/traces");
    const [, row] = await screen.findAllByRole("button", { name: /tools\/call/ });
    await user.click(row as HTMLElement);
    expect(search()).toBe("?trace=7");
    const drawer = screen.getByRole("dialog");

    await user.click(within(drawer).getByRole("button", { name: "Close" }));
    expect(search()).toBe("");
    expect(document.activeElement).toBe(row);
  });

  it("invites a first request when there are none", async () => {
    GET.mockResolvedValue({ data: { items: [], nextBefore: null } });
    renderAt("/servers/srv_1/traces");
    await screen.findByText("No MCP requests yet.");
    expect(screen.getByRole("link", { name: "Connect tab" }).getAttribute("href")).toBe(
      "/servers/srv_1/connect",
    );
    expect(screen.getByRole("link", { name: "Playground" }).getAttribute("href")).toBe(
      "/servers/srv_1/playground",
    );
  });
});
