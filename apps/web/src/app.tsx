import { lazy } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { AppShell } from "./components/app-shell";
import { LoadError, Loading } from "./components/states";
import { useSession } from "./features/auth/use-session";
import { OwnerScopeProvider } from "./features/orgs/owner-scope";

// One chunk per page: the first load carries only the shell and the page asked for.
const SignInPage = lazy(() => import("./features/auth/sign-in-page"));
const ServersPage = lazy(() => import("./features/servers/servers-page"));
const NewServerPage = lazy(() => import("./features/servers/new-server-page"));
const ServerDetailPage = lazy(() => import("./features/server-detail/server-detail-page"));
const OverviewTab = lazy(() => import("./features/server-detail/overview-tab"));
const ConnectTab = lazy(() => import("./features/connect/connect-tab"));
const LogsTab = lazy(() => import("./features/logs/logs-tab"));
const PlaygroundTab = lazy(() => import("./features/playground/playground-tab"));
const CapabilitiesTab = lazy(() => import("./features/capabilities/capabilities-tab"));
const TracesTab = lazy(() => import("./features/traces/traces-tab"));
const MetricsTab = lazy(() => import("./features/metrics/metrics-tab"));
const FilesTab = lazy(() => import("./features/files/files-tab"));
const SettingsTab = lazy(() => import("./features/server-detail/settings-tab"));
const ProfilePage = lazy(() => import("./features/profile/profile-page"));
const OrgsPage = lazy(() => import("./features/orgs/orgs-page"));
const OrgPage = lazy(() => import("./features/orgs/org-page"));
const AdminPage = lazy(() => import("./features/admin/admin-page"));
const NotFoundPage = lazy(() => import("./components/not-found-page"));

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<SignInPage mode="sign-in" />} />
      <Route path="/register" element={<SignInPage mode="register" />} />
      <Route element={<SignedIn />}>
        <Route index element={<Navigate to="/servers" replace />} />
        <Route path="servers" element={<ServersPage />} />
        <Route path="servers/new" element={<NewServerPage />} />
        <Route path="servers/:serverId" element={<ServerDetailPage />}>
          <Route index element={<OverviewTab />} />
          <Route path="connect" element={<ConnectTab />} />
          <Route path="logs" element={<LogsTab />} />
          <Route path="playground" element={<PlaygroundTab />} />
          <Route path="capabilities" element={<CapabilitiesTab />} />
          <Route path="traces" element={<TracesTab />} />
          <Route path="metrics" element={<MetricsTab />} />
          <Route path="files" element={<FilesTab />} />
          <Route path="settings" element={<SettingsTab />} />
        </Route>
        <Route path="profile" element={<ProfilePage />} />
        <Route path="orgs" element={<OrgsPage />} />
        <Route path="orgs/:orgId" element={<OrgPage />} />
        <Route path="admin" element={<AdminPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The signed-in part of the app; without a session it sends the reader to sign in, then back. */
function SignedIn() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) {
    return (
      <main className="narrow">
        <LoadError error={session.error} onRetry={() => session.refetch()} />
      </main>
    );
  }
  if (!session.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return (
    <OwnerScopeProvider>
      <AppShell />
    </OwnerScopeProvider>
  );
}
