import { useId } from "react";
import { formatTime } from "../../lib/format";
import { useMe } from "../auth/use-session";
import { MyInvitations } from "../orgs/my-invitations";
import { quotaText, useServerCount } from "../orgs/org-queries";
import { AccessTokens } from "./access-tokens";
import { ChangePasswordForm } from "./change-password-form";
import "./profile.css";

/** /profile: the reader's account, password, personal access tokens and invitations. */
export default function ProfilePage() {
  return (
    <>
      <div className="page-header">
        <h1>Profile</h1>
      </div>
      <AccountSummary />
      <MyInvitations />
      <AccessTokens />
      <ChangePasswordForm />
    </>
  );
}

function AccountSummary() {
  const headingId = useId();
  const me = useMe();
  // Only servers the reader owns personally count against their quota; org servers count
  // against the organization's.
  const used = useServerCount({ type: "user", id: me.id });
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Account</h2>
      <dl className="details">
        <div>
          <dt>Email</dt>
          <dd>{me.email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{me.role}</dd>
        </div>
        <div>
          <dt>Server quota</dt>
          <dd>{quotaText(used, me.serverQuota)}</dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>{formatTime(me.createdAt)}</dd>
        </div>
      </dl>
    </section>
  );
}
