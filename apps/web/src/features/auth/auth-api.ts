import { ApiError, apiRequest } from "../../lib/http";

/** A user account as the API returns it. */
export interface User {
  id: string;
  email: string;
  role: "admin" | "user";
  serverQuota: number;
  createdAt: string;
}

/** The current user, with what the credential in use may do. */
export interface Me extends User {
  scopes: string[];
  authenticatedVia: "session" | "token";
}

export interface Credentials {
  email: string;
  password: string;
}

interface Session {
  user: User;
  expiresAt: string;
}

/** The signed-in user, or `null` when there is no valid session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await apiRequest<Me>("GET", "/api/me");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Signs in; the server sets the session cookie. */
export async function login(credentials: Credentials): Promise<User> {
  return (await apiRequest<Session>("POST", "/api/auth/login", credentials)).user;
}

/** Creates an account and signs in with it. */
export async function register(credentials: Credentials): Promise<User> {
  return (await apiRequest<Session>("POST", "/api/auth/register", credentials)).user;
}

/** Ends this session and clears the cookie. */
export async function logout(): Promise<void> {
  await apiRequest<void>("POST", "/api/auth/logout");
}
