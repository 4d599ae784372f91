import { createContext, type ReactNode, useContext, useEffect, useState } from "react";

/** Whose servers the dashboard shows and creates: the reader's own, or one organization's. */
export type OwnerScope = { type: "personal" } | { type: "org"; orgId: string };

const KEY = "mcphost.scope";
const PERSONAL: OwnerScope = { type: "personal" };

const ScopeContext = createContext<{
  scope: OwnerScope;
  setScope: (scope: OwnerScope) => void;
} | null>(null);

/** Keeps the chosen scope across reloads (localStorage), per browser. */
export function OwnerScopeProvider({ children }: { children: ReactNode }) {
  const [scope, setScope] = useState<OwnerScope>(() => {
    const orgId = localStorage.getItem(KEY);
    return orgId ? { type: "org", orgId } : PERSONAL;
  });
  useEffect(() => {
    if (scope.type === "org") localStorage.setItem(KEY, scope.orgId);
    else localStorage.removeItem(KEY);
  }, [scope]);
  return <ScopeContext.Provider value={{ scope, setScope }}>{children}</ScopeContext.Provider>;
}

export function useOwnerScope() {
  const value = useContext(ScopeContext);
  if (!value) throw new Error("useOwnerScope() outside OwnerScopeProvider");
  return value;
}
