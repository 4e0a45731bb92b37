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
};

/** The workspace's settings, for its admins: members, invitations, API keys, secrets and the audit log. */
export function SettingsPage({ section }: { section: SettingsSection }) {
  const { can, workspace } = useSession();
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
        {SETTINGS_SECTIONS.map((s) => (
          <Link key={s} to={`/settings/${s}`} className={s === section ? 'active' : ''}>
            {LABELS[s]}
          </Link>
        ))}
      </nav>
      {renderSection(section)}
    </section>
  );
}

function renderSection(section: SettingsSection) {
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
      return <AuditSection />;
  }
}
