import { lazy, Suspense } from 'react';
import { DashboardPage } from './dashboard/DashboardPage.tsx';
import { ExecutionsPage } from './executions/ExecutionsPage.tsx';
import type { Route } from './lib/router.ts';
import { navigate, useRoute } from './lib/use-route.ts';
import { Empty, Loading } from './ui/feedback.tsx';
import { WorkflowsPage } from './workflows/WorkflowsPage.tsx';

/** A link that navigates inside the app without a reload (and still works with a middle click). */
export function Link({ to, children, className }: { to: string; children: React.ReactNode; className?: string }) {
  return (
    <a href={to} className={className} onClick={(e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      navigate(to);
    }}>{children}</a>
  );
}

// The canvas pages carry React Flow, the validator and JSONata; the dashboard and lists load without them.
const EditorPage = lazy(() => import('./editor/EditorPage.tsx').then((m) => ({ default: m.EditorPage })));
const ExecutionPage = lazy(() => import('./executions/ExecutionPage.tsx').then((m) => ({ default: m.ExecutionPage })));

const NAV: Array<{ to: string; label: string; pages: Route['page'][] }> = [
  { to: '/', label: 'Dashboard', pages: ['dashboard'] },
  { to: '/workflows', label: 'Workflows', pages: ['workflows', 'editor'] },
  { to: '/executions', label: 'Executions', pages: ['executions', 'execution'] },
];

export function App() {
  const route = useRoute();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand"><span className="logo" aria-hidden="true" />Duet</Link>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} className={item.pages.includes(route.page) ? 'active' : ''}>{item.label}</Link>
          ))}
        </nav>
        <a className="docs-link" href="/api/docs">API</a>
      </header>
      <main className="page"><Suspense fallback={<Loading what="the page" />}>{renderPage(route)}</Suspense></main>
    </div>
  );
}

function renderPage(route: Route) {
  switch (route.page) {
    case 'dashboard': return <DashboardPage />;
    case 'workflows': return <WorkflowsPage />;
    case 'editor': return <EditorPage key={route.workflowId} workflowId={route.workflowId} />;
    case 'executions': return <ExecutionsPage workflowId={route.workflowId} status={route.status} />;
    case 'execution': return <ExecutionPage key={route.executionId} executionId={route.executionId} />;
    default: return <Empty title="Nothing here">No page at <code>{route.path}</code>. <Link to="/">Go to the dashboard</Link>.</Empty>;
  }
}
