import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import { ErrorAlert } from "../../components/error-alert";
import { LoadError, Loading } from "../../components/states";
import { StatusMessage } from "../../components/status-message";
import { api, bodyOf } from "../../lib/api";
import { useMe } from "../auth/use-session";
import { AdminOrgs } from "./admin-orgs";
import { AdminUsers } from "./admin-users";
import "./admin.css";

/** /admin: the instance's users, organizations and registration (site admins only). */
export default function AdminPage() {
  const me = useMe();
  if (me.role !== "admin") {
    return (
      <section className="panel">
        <h1>Admin</h1>
        <p>
          Only site admins can see this page. <Link to="/servers">Go to your servers</Link>.
        </p>
      </section>
    );
  }
  return (
    <>
      <div className="page-header">
        <h1>Admin</h1>
      </div>
      <RegistrationSetting />
      <AdminUsers />
      <AdminOrgs />
    </>
  );
}

const settingsKey = ["admin", "settings"] as const;

/**
 * Whether anyone may create an account. Invited emails may always register, so closing it keeps
 * invitations working. The operator's MCPHOST_OPEN_REGISTRATION=false overrides this switch.
 */
function RegistrationSetting() {
  const headingId = useId();
  const hintId = useId();
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: settingsKey,
    queryFn: async () => await bodyOf(api.GET("/api/admin/settings")),
  });
  const update = useMutation({
    mutationFn: async (registrationOpen: boolean) =>
      await bodyOf(api.PATCH("/api/admin/settings", { body: { registrationOpen } })),
    onSuccess: (saved) => client.setQueryData(settingsKey, saved),
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Registration</h2>
      {settings.isPending ? (
        <Loading label="Loading settings…" />
      ) : settings.isError ? (
        <LoadError error={settings.error} onRetry={() => settings.refetch()} />
      ) : (
        <>
          <label className="check-row">
            <input
              type="checkbox"
              checked={update.isPending ? update.variables : settings.data.registrationOpen}
              disabled={!settings.data.registrationConfigurable || update.isPending}
              aria-describedby={hintId}
              onChange={(event) => update.mutate(event.target.checked)}
            />
            <span>Anyone can create an account</span>
          </label>
          <p id={hintId} className="field-hint">
            {settings.data.registrationConfigurable ? (
              "When off, only people with a pending invitation can register."
            ) : (
              <>
                Closed by the server's configuration (<code>MCPHOST_OPEN_REGISTRATION=false</code>
                ): change it there to open registration. People with a pending invitation can still
                register.
              </>
            )}
          </p>
        </>
      )}
      <ErrorAlert error={update.error} />
      <StatusMessage>
        {update.isSuccess
          ? `Registration is now ${update.data.registrationOpen ? "open to anyone" : "by invitation only"}.`
          : null}
      </StatusMessage>
    </section>
  );
}
