import { useSession } from '../account/session.tsx';
import { SETTINGS_SECTIONS, type SettingsSection } from '../lib/router.ts';
import { Empty } from '../ui/feedback.tsx';
import { Link } from '../ui/Link.tsx';
import { ApiKeysSection } from './ApiKeysSection.tsx';
import { AuditSection } from './AuditSection.tsx';
import { InvitationsSection } from './InvitationsSection.tsx';
import { MembersSection } from './MembersSection.tsx';
import { SecretsSection } from './SecretsSection.tsx';

const LABELS: Record<SettingsSection, string> = {
  members: 'Members',
  invitations: 'Invitations',
  'api-keys': 'API keys',
  secrets: 'Secrets',
  audit: 'Audit log',
  'sign-ins': 'Sign-in activity',
};

/** The workspace's settings, for its admins: members, invitations, API keys, secrets and the audit log. */
export function SettingsPage({ section }: { section: SettingsSection }) {
  const { can, workspace, me } = useSession();
  const { user } = me;
  if (!can('workspace.admin')) {
    return (
      <section className="content">
        <Empty title="Settings are for workspace admins">
          Your role in {workspace.name} is {workspace.role}. Ask an admin if you need a change here.
        </Empty>
      </section>
    );
  }
  return (
    <section className="content settings">
      <div className="page-head">
        <h1>Settings</h1>
        <span className="muted">{workspace.name}</span>
      </div>
      <nav className="settings-tabs" aria-label="Settings">
        {SETTINGS_SECTIONS.filter((s) => s !== 'sign-ins' || user.instanceAdmin).map((s) => (
          <Link key={s} to={`/settings/${s}`} className={s === section ? 'active' : ''}>
            {LABELS[s]}
          </Link>
        ))}
      </nav>
      {renderSection(section, user.instanceAdmin)}
    </section>
  );
}

function renderSection(section: SettingsSection, instanceAdmin: boolean) {
  switch (section) {
    case 'members':
      return <MembersSection />;
    case 'invitations':
      return <InvitationsSection />;
    case 'api-keys':
      return <ApiKeysSection />;
    case 'secrets':
      return <SecretsSection />;
    case 'audit':
      return <AuditSection scope="workspace" />;
    case 'sign-ins':
      return instanceAdmin ? (
        <AuditSection scope="instance" />
      ) : (
        <Empty title="Sign-in activity is for instance admins">It covers the whole Duet, not one workspace.</Empty>
      );
  }
}
