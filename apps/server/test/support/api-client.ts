export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  contentType: string;
}

/**
 * A minimal HTTP client for tests: keeps cookies like a browser, sends our Origin on writes
 * (configurable), and parses JSON and problem+json bodies.
 */
export class ApiClient {
  private cookies = new Map<string, string>();
  bearer: string | undefined;

  constructor(
    readonly baseUrl: string,
    public origin: string | undefined,
  ) {}

  withToken(token: string): ApiClient {
    const c = new ApiClient(this.baseUrl, this.origin);
    c.bearer = token;
    return c;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  get = (path: string, init?: RequestInit) => this.request("GET", path, undefined, init);
  post = (path: string, body?: unknown, init?: RequestInit) =>
    this.request("POST", path, body, init);
  patch = (path: string, body?: unknown, init?: RequestInit) =>
    this.request("PATCH", path, body, init);
  put = (path: string, body?: unknown, init?: RequestInit) => this.request("PUT", path, body, init);
  delete = (path: string, init?: RequestInit) => this.request("DELETE", path, undefined, init);

  /** Body: an object is sent as JSON; a string is sent as-is (to test malformed input). */
  async request(
    method: string,
    path: string,
    body?: unknown,
    init: RequestInit = {},
  ): Promise<ApiResponse> {
    const headers = new Headers(init.headers);
    if (body !== undefined && !headers.has("content-type"))
      headers.set("content-type", "application/json");
    if (this.origin && method !== "GET" && !headers.has("origin"))
      headers.set("origin", this.origin);
    if (this.bearer) headers.set("authorization", `Bearer ${this.bearer}`);
    if (this.cookies.size > 0) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const res = await fetch(this.baseUrl + path, {
      ...init,
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = (pair ?? "").split("=");
      const value = rest.join("=");
      const expired = attrs.some((a) => /max-age=0/i.test(a)) || value === "";
      if (name) expired ? this.cookies.delete(name.trim()) : this.cookies.set(name.trim(), value);
    }
    const contentType = res.headers.get("content-type") ?? "";
    const text = await res.text();
    const parsed = /json/.test(contentType) && text ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, body: parsed, contentType };
  }
}

/** Registers (or logs in) a user and returns a client holding their session. */
export async function signUp(
  client: ApiClient,
  email: string,
  password = "correct horse battery",
): Promise<{ client: ApiClient; user: { id: string; email: string; role: string } }> {
  const res = await client.post("/api/auth/register", { email, password });
  if (res.status !== 201)
    throw new Error(`register ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, user: res.body.user };
}
