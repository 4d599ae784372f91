import type { User } from "@mcphost/api-client";
import { api, bodyOf } from "../../lib/api";

export interface Credentials {
  email: string;
  password: string;
}

/** Signs in; the server sets the session cookie. */
export async function login(credentials: Credentials): Promise<User> {
  return (await bodyOf(api.POST("/api/auth/login", { body: credentials }))).user;
}

/** Creates an account and signs in with it. */
export async function register(credentials: Credentials): Promise<User> {
  return (await bodyOf(api.POST("/api/auth/register", { body: credentials }))).user;
}

/** Ends this session and clears the cookie. */
export async function logout(): Promise<void> {
  await api.POST("/api/auth/logout");
}
