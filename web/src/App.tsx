import { lazy, Suspense, useEffect } from 'react';
import { AcceptInvitePage } from './account/AcceptInvitePage.tsx';
import { FirstAdminPage } from './account/FirstAdminPage.tsx';
import { SessionProvider, useSession, type Me } from './account/session.tsx';
import { SignInPage } from './account/SignInPage.tsx';
import { UserMenu } from './account/UserMenu.tsx';
import { WorkspaceSwitcher } from './account/WorkspaceSwitcher.tsx';
import { DashboardPage } from './dashboard/DashboardPage.tsx';
import { ExecutionsPage } from './executions/ExecutionsPage.tsx';
import { onSignedOut } from './lib/api.ts';
import { matchRoute, PUBLIC_PAGES, signInPath, type Route } from './lib/router.ts';
import { closeSocket } from './lib/socket.ts';
import { navigate, useRoute } from './lib/use-route.ts';
import { KnowledgeBasePage } from './knowledge/KnowledgeBasePage.tsx';
import { KnowledgePage } from './knowledge/KnowledgePage.tsx';
import { SettingsPage } from './settings/SettingsPage.tsx';
import { TasksPage } from './tasks/TasksPage.tsx';
import { Empty, Loading } from './ui/feedback.tsx';
import { Link } from './ui/Link.tsx';
import { WorkflowsPage } from './workflows/WorkflowsPage.tsx';

// The canvas pages carry React Flow, the validator and JSONata; the dashboard and lists load without them.
const EditorPage = lazy(() => import('./editor/EditorPage.tsx').then((m) => ({ default: m.EditorPage })));
const ExecutionPage = lazy(() => import('./executions/ExecutionPage.tsx').then((m) => ({ default: m.ExecutionPage })));

const NAV: Array<{ to: string; label: string; pages: Route['page'][]; adminOnly?: boolean }> = [
  { to: '/', label: 'Dashboard', pages: ['dashboard'] },
  { to: '/workflows', label: 'Workflows', pages: ['workflows', 'editor'] },
  { to: '/executions', label: 'Executions', pages: ['executions', 'execution'] },
  { to: '/knowledge', label: 'Knowledge', pages: ['knowledge', 'knowledge-base'] },
  { to: '/tasks', label: 'Tasks', pages: ['tasks'] },
  { to: '/settings', label: 'Settings', pages: ['settings'], adminOnly: true },
];

/** Any call that answers 401 (the session ended, expired or was revoked) leads to sign-in, then back here. */
function useSignInOnSignedOut(): void {
  useEffect(
    () =>
      onSignedOut(() => {
        if (PUBLIC_PAGES.has(matchRoute(window.location.pathname).page)) return;
        closeSocket();
        navigate(signInPath(window.location), { replace: true });
      }),
    [],
  );
}

export function App() {
  const route = useRoute();
  useSignInOnSignedOut();
  switch (route.page) {
    case 'sign-in':
      return <SignInPage next={route.next} />;
    case 'setup':
      return <FirstAdminPage next={route.next} />;
    case 'invite':
      return <AcceptInvitePage token={route.token} />;
    default:
      return (
        <SessionProvider fallback={(me) => <NoWorkspace me={me} />}>
          <Shell route={route} />
        </SessionProvider>
      );
  }
}

function Shell({ route }: { route: Route }) {
  const session = useSession();
  const nav = NAV.filter((item) => !item.adminOnly || session.can('workspace.admin'));
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="logo" aria-hidden="true" />
          Duet
        </Link>
        <nav aria-label="Main">
          {nav.map((item) => (
            <Link key={item.to} to={item.to} className={item.pages.includes(route.page) ? 'active' : ''}>
              {item.label}
            </Link>
          ))}
        </nav>
        <a className="docs-link" href="/api/docs">
          API
        </a>
        <WorkspaceSwitcher />
        <UserMenu user={session.me.user} role={session.workspace.role} />
      </header>
      <main className="page" key={session.workspace.id}>
        <Suspense fallback={<Loading what="the page" />}>{renderPage(route)}</Suspense>
      </main>
    </div>
  );
}

/** Signed in, but a member of no workspace: nothing to show until an admin invites them. */
function NoWorkspace({ me }: { me: Me }) {
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">
          <span className="logo" aria-hidden="true" />
          Duet
        </span>
        <span className="docs-link" />
        <UserMenu user={me.user} />
      </header>
      <main className="page">
        <section className="content">
          <Empty title="No workspace yet">
            You are signed in as {me.user.email} but belong to no workspace. Ask a workspace admin to invite you.
          </Empty>
        </section>
      </main>
    </div>
  );
}

function renderPage(route: Route) {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'workflows':
      return <WorkflowsPage />;
    case 'editor':
      return <EditorPage key={route.workflowId} workflowId={route.workflowId} />;
    case 'executions':
      return <ExecutionsPage workflowId={route.workflowId} status={route.status} />;
    case 'execution':
      return <ExecutionPage key={route.executionId} executionId={route.executionId} />;
    case 'settings':
      return <SettingsPage section={route.section} />;
    case 'knowledge':
      return <KnowledgePage />;
    case 'knowledge-base':
      return (
        <KnowledgeBasePage
          key={route.knowledgeBaseId}
          knowledgeBaseId={route.knowledgeBaseId}
          documentId={route.documentId}
        />
      );
    case 'tasks':
      return <TasksPage />;
    default:
      return (
        <Empty title="Nothing here">
          No page at <code>{'path' in route ? route.path : ''}</code>. <Link to="/">Go to the dashboard</Link>.
        </Empty>
      );
  }
}
