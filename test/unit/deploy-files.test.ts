import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerBackup } from '../../src/cli/commands/backup.ts';
import { registerServe } from '../../src/cli/commands/serve.ts';
import { configSchema } from '../../src/config/env.ts';
import { deployFiles, read, ROOT, yamlDocuments } from '../support/deploy.ts';

const KNOWN = new Set(Object.keys(configSchema.shape));
const unknown = (names: string[]) => names.filter((n) => !KNOWN.has(n));
const startScript = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;

// The real CLI's commands (the ones deploy/ runs), to check each command line against the options they define.
const cli = new Command('duet');
registerServe(cli);
registerBackup(cli);
const DOCS = `${read('README.md')}\n${read('docs/operations.md')}`;

/**
 * A command line of deploy/ is `node bin/duet.js <command> [--option [value]]…` where the command and every option
 * exist in the CLI, and the docs (README.md or docs/operations.md) show `duet <command>` and each option used.
 */
function expectDuetCommand(argv: string[], where: string) {
  expect(argv.slice(0, 2), where).toEqual(['node', 'bin/duet.js']);
  const [name, ...args] = argv.slice(2);
  const command = cli.commands.find((c) => c.name() === name);
  expect(command, `${where}: duet ${name} is not a command`).toBeDefined();
  expect(DOCS, `${where}: the docs never show duet ${name}`).toContain(`duet ${name}`);
  const options = new Map(command!.options.map((o) => [o.long!, o]));
  for (let i = 0; i < args.length; i++) {
    const option = options.get(args[i]!);
    expect(option, `${where}: duet ${name} has no option ${args[i]}`).toBeDefined();
    expect(DOCS, `${where}: the docs never show ${args[i]}`).toContain(args[i]);
    if (option!.required) expect(args[++i] ?? '', `${where}: ${option!.long} needs a value`).toMatch(/^[^-]/);
  }
}

describe('expectDuetCommand', () => {
  it('rejects a command or option the CLI does not have, so the checks below can fail', () => {
    expect(() => expectDuetCommand(['node', 'bin/duet.js', 'wokrer'], 'test')).toThrow(/not a command/);
    expect(() => expectDuetCommand(['node', 'bin/duet.js', 'worker', '--threads', '4'], 'test')).toThrow(
      /no option --threads/,
    );
    expect(() => expectDuetCommand(['node', 'bin/duet.js', 'worker', '--port'], 'test')).toThrow(/needs a value/);
    expect(() =>
      expectDuetCommand(['node', 'bin/duet.js', 'worker', '--concurrency', '4', '--port', '3000'], 'test'),
    ).not.toThrow();
  });
});

describe('deploy/ files', () => {
  it('every YAML file parses', () => {
    const files = deployFiles('.yml', '.yaml');
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) expect(yamlDocuments(file).length, file).toBeGreaterThan(0);
  });

  it('docker-compose gives the duet and worker services only variables the config schema knows, real duet commands, health checks and named volumes', () => {
    const [compose] = yamlDocuments('deploy/docker-compose.yml');
    for (const service of ['duet', 'worker']) {
      const names = Object.keys(compose.services[service].environment);
      expect(names.length, service).toBeGreaterThan(5);
      expect(unknown(names), service).toEqual([]);
      expectDuetCommand(compose.services[service].command, `compose ${service}`);
    }
    expect(compose.services.duet.command.slice(2, 3)).toEqual(['serve']);
    // Queue mode: REDIS_URL with the password Redis is started with, and the worker after its dependencies.
    expect(compose.services.duet.environment.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD[:?}].*@redis:6379$/);
    expect(compose.services.worker.environment.REDIS_URL).toBe(compose.services.duet.environment.REDIS_URL);
    const worker = compose.services.worker;
    expect(worker.command.slice(2, 3)).toEqual(['worker']);
    expect(worker.image).toBe(compose.services.duet.image);
    for (const dependency of ['postgres', 'redis'])
      expect(worker.depends_on[dependency], dependency).toEqual({ condition: 'service_healthy' });
    // The worker's health check reaches the HTTP port its --port option opens.
    const port = worker.command[worker.command.indexOf('--port') + 1];
    expect(worker.healthcheck.test.join(' ')).toContain(`127.0.0.1:${port}/health`);
    for (const service of ['duet', 'worker'])
      expect(compose.services[service].stop_grace_period, service).toMatch(/^([2-9]\d|\d{3,})s$/);
    for (const service of ['duet', 'worker', 'postgres', 'redis', 'nginx'])
      expect(compose.services[service].healthcheck, service).toBeDefined();
    expect(compose.services.postgres.image).toMatch(/pgvector/);
    expect(compose.services.redis.command).toEqual(expect.arrayContaining(['--requirepass', '--appendonly', 'yes']));
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['duet-data', 'postgres-data', 'redis-data']));
    for (const [service, spec] of Object.entries(compose.services) as Array<[string, { volumes?: string[] }]>) {
      for (const volume of spec.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.')) expect(Object.keys(compose.volumes), `${service}: ${volume}`).toContain(source);
      }
    }
  });

  it('Kubernetes manifests use only known variables, run real duet commands, probe /health and /ready with resources set, and scale', () => {
    const [config] = yamlDocuments('deploy/k8s/configmap.yaml');
    const [secret] = yamlDocuments('deploy/k8s/secret.example.yaml');
    const [server] = yamlDocuments('deploy/k8s/deployment.yaml');
    const [worker] = yamlDocuments('deploy/k8s/worker-deployment.yaml');
    const hpas = yamlDocuments('deploy/k8s/hpa.yaml');
    for (const deployment of [server, worker]) {
      const where = deployment.metadata.name as string;
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];
      const names = [
        ...Object.keys(config.data),
        ...Object.keys(secret.stringData),
        ...container.env.map((e: { name: string }) => e.name),
      ];
      expect(names.length, where).toBeGreaterThan(8);
      expect(unknown(names), where).toEqual([]);
      expectDuetCommand(container.command, where);
      // Probes on the port the process listens on (for a worker: its --port).
      const port = container.command.includes('--port')
        ? Number(container.command[container.command.indexOf('--port') + 1])
        : Number(config.data.PORT);
      expect(container.ports.find((p: { name: string }) => p.name === 'http').containerPort, where).toBe(port);
      expect(container.livenessProbe.httpGet, where).toEqual({ path: '/health', port: 'http' });
      expect(container.readinessProbe.httpGet, where).toEqual({ path: '/ready', port: 'http' });
      expect(container.resources.requests, where).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources.limits, where).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(pod.securityContext.runAsNonRoot, where).toBe(true);
      // Duet's shutdown deadline is 10 s (src/cli/commands/serve.ts); Kubernetes must not kill it sooner.
      expect(pod.terminationGracePeriodSeconds, where).toBeGreaterThan(10);
      // Several replicas may run in queue mode: no Recreate, no fixed count fighting the HPA.
      expect(deployment.spec.strategy.type, where).toBe('RollingUpdate');
      expect(deployment.spec.replicas, where).toBeUndefined();
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === deployment.metadata.name);
      expect(hpa, `${where} has an HPA`).toBeDefined();
      expect(hpa.spec.minReplicas, where).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas, where).toBeGreaterThan(hpa.spec.minReplicas);
    }
    expect(server.spec.template.spec.containers[0].command.slice(2)).toEqual(['serve', '--no-worker']);
    expect(worker.spec.template.spec.containers[0].command[2]).toBe('worker');
    // The Service sends traffic to servers only.
    const [service] = yamlDocuments('deploy/k8s/service.yaml');
    expect(service.spec.selector).toEqual(server.spec.selector.matchLabels);
    expect(server.spec.selector.matchLabels).not.toEqual(worker.spec.selector.matchLabels);
    expect(Object.keys(secret.stringData)).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL']));

    const [ingress] = yamlDocuments('deploy/k8s/ingress.yaml');
    expect(
      Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']),
    ).toBeGreaterThanOrEqual(3600);
    const [kustomization] = yamlDocuments('deploy/k8s/kustomization.yaml');
    for (const resource of kustomization.resources)
      expect(() => read(`deploy/k8s/${resource}`), resource).not.toThrow();
    expect(kustomization.resources).toEqual(
      expect.arrayContaining(['deployment.yaml', 'worker-deployment.yaml', 'hpa.yaml']),
    );
  });

  it('systemd units and env examples use only known variables and the documented start command', () => {
    const files = [...deployFiles('.service'), 'deploy/systemd/duet.env.example', 'deploy/.env.example'];
    const assigned = (text: string) =>
      [...text.matchAll(/^(?:Environment=|#\s*)?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    const systemdNames = files.filter((f) => f.startsWith('deploy/systemd/')).flatMap((f) => assigned(read(f)));
    expect(systemdNames.length).toBeGreaterThan(4);
    expect(unknown(systemdNames)).toEqual([]);
    expect(read('deploy/systemd/duet.service')).toMatch(new RegExp(`^ExecStart=/usr/bin/${startScript}$`, 'm'));
    for (const unit of deployFiles('.service')) {
      const lines = [...read(unit).matchAll(/^(#\s*)?ExecStart=\/usr\/bin\/(node .+)$/gm)].map((m) => m[2]!.split(' '));
      expect(lines.length, unit).toBeGreaterThan(0);
      for (const argv of lines) expectDuetCommand(argv, unit);
    }
    const worker = read('deploy/systemd/duet-worker.service');
    expect(worker).toMatch(/^ExecStart=\/usr\/bin\/node bin\/duet\.js worker /m);
    // More than Duet's 10 s shutdown deadline before systemd sends SIGKILL.
    for (const unit of ['duet.service', 'duet-worker.service'])
      expect(Number(/^TimeoutStopSec=(\d+)$/m.exec(read(`deploy/systemd/${unit}`))?.[1]), unit).toBeGreaterThan(10);
    // deploy/.env feeds docker compose's own ${…} substitutions, except ADMIN_TOKEN which the server reads.
    const composeOnly = ['POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'DUET_IMAGE_TAG'];
    expect(unknown(assigned(read('deploy/.env.example'))).filter((n) => !composeOnly.includes(n))).toEqual([]);
  });

  it('the Dockerfile is multi-stage, non-root, health-checked, and runs the documented commands', () => {
    const dockerfile = read('deploy/Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER (?!root|0\b)\w+$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd.join(' ')).toBe(startScript);
    const env = [...dockerfile.matchAll(/^\s*(?:ENV )?([A-Z_]+)=\S+ ?\\?$/gm)].map((m) => m[1]!);
    expect(env.length).toBeGreaterThan(2);
    expect(unknown(env)).toEqual([]);
    // The build command in its header is the one docs/operations.md tells operators to run.
    const build = /^#\s+(docker build .*)$/m.exec(dockerfile)![1]!;
    expect(read('docs/operations.md')).toContain(build);
    expect(read('README.md')).toContain('npm ci && npm start');
  });

  it('the Grafana dashboard is valid JSON with a query in every panel, queue mode included', () => {
    const dashboard = JSON.parse(read('deploy/grafana/duet-dashboard.json')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    expect(dashboard.panels.length).toBeGreaterThan(8);
    for (const panel of dashboard.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const metric of ['queue_depth', 'queue_workers', 'redis_up']) expect(exprs).toContain(metric);
  });

  it('alerts, the dashboard and Prometheus name only metrics Duet exports', () => {
    // Metric names Duet registers anywhere in src/ (`new Gauge({ name: '…'`), plus prom-client's defaults and `up`.
    const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => read(join('src', f)))
      .join('\n');
    const exported = new Set(
      [...sources.matchAll(/new (?:Gauge|Counter|Histogram|Summary)\(\{\s*name: '([a-z_]+)'/g)].map((m) => m[1]!),
    );
    expect(exported).toContain('queue_workers');
    expect(exported).toContain('redis_up');
    const known = (name: string) =>
      exported.has(name.replace(/_(bucket|sum|count)$/, '')) || /^(up|process_\w+|nodejs_\w+)$/.test(name);
    const names = (text: string) => [...text.matchAll(/\b([a-z][a-z0-9_]*)\s*\{/g)].map((m) => m[1]!);
    const dashboard = read('deploy/grafana/duet-dashboard.json');
    const alerts = yamlDocuments('deploy/prometheus/alerts.yml')[0]
      .groups.flatMap((g: { rules: Array<{ expr: string }> }) => g.rules.map((r) => r.expr))
      .join('\n');
    const used = [...names(alerts), ...names(dashboard.replaceAll('\\"', '"'))];
    expect(used).toEqual(expect.arrayContaining(['queue_depth', 'redis_up', 'queue_workers']));
    expect(used.filter((n) => !known(n))).toEqual([]);
  });
});
