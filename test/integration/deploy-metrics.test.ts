import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { read, yamlDocuments } from '../support/deploy.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Metric-looking identifiers of a PromQL expression (functions, labels and keywords dropped). */
function metricNames(expr: string): string[] {
  const withoutStrings = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]');
  const words = [...withoutStrings.matchAll(/\b([a-z_][a-z0-9_]*)\b(?!\s*\()/g)].map((m) => m[1]!);
  const keywords = new Set([
    'sum',
    'min',
    'max',
    'avg',
    'count',
    'topk',
    'bottomk',
    'by',
    'without',
    'and',
    'or',
    'unless',
    'on',
    'ignoring',
    'group_left',
    'group_right',
    'bool',
    'le',
    'status',
    'reason',
    'type',
    'status_code',
    'route',
    'method',
    'mode',
    'instance',
    'job',
  ]);
  return words.filter((w) => !keywords.has(w));
}

describe('dashboard and alerts name only metrics Duet exports', () => {
  it("every metric in alerts.yml and the Grafana dashboard is on /metrics (or is Prometheus's own `up`)", async () => {
    const body = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const exported = new Set(
      [...body.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!],
      ),
    );
    exported.add('up');
    // Exported only in queue mode (REDIS_URL); test/services/queue-mode.test.ts reads them from /metrics there.
    for (const name of ['redis_up', 'queue_workers']) {
      expect(exported.has(name), `${name} should appear only in queue mode`).toBe(false);
      exported.add(name);
    }
    const [alerts] = yamlDocuments('deploy/prometheus/alerts.yml');
    const alertExprs: string[] = alerts.groups.flatMap((g: { rules: Array<{ expr: string }> }) =>
      g.rules.map((r) => r.expr),
    );
    const dashboard = JSON.parse(read('deploy/grafana/duet-dashboard.json')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const panelExprs = dashboard.panels.flatMap((p) => p.targets.map((target) => target.expr));
    expect(alertExprs.length).toBeGreaterThanOrEqual(7);
    for (const expr of [...alertExprs, ...panelExprs]) {
      const names = metricNames(expr);
      expect(names.length, expr).toBeGreaterThan(0);
      expect(
        names.filter((n) => !exported.has(n)),
        expr,
      ).toEqual([]);
    }
  });
});
