import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/env.ts';
import { deployFiles, read, yamlDocuments } from '../support/deploy.ts';

const KNOWN = new Set(Object.keys(configSchema.shape));
const unknown = (names: string[]) => names.filter((n) => !KNOWN.has(n));
const startScript = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;

describe('deploy/ files', () => {
  it('every YAML file parses', () => {
    const files = deployFiles('.yml', '.yaml');
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) expect(yamlDocuments(file).length, file).toBeGreaterThan(0);
  });

  it('docker-compose gives the duet service only variables the config schema knows, with health checks and named volumes', () => {
    const [compose] = yamlDocuments('deploy/docker-compose.yml');
    const names = Object.keys(compose.services.duet.environment);
    expect(names.length).toBeGreaterThan(5);
    expect(unknown(names)).toEqual([]);
    for (const service of ['duet', 'postgres', 'redis', 'nginx']) expect(compose.services[service].healthcheck, service).toBeDefined();
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

  it('Kubernetes manifests use only known variables and probe /health and /ready with resources set', () => {
    const [config] = yamlDocuments('deploy/k8s/configmap.yaml');
    const [secret] = yamlDocuments('deploy/k8s/secret.example.yaml');
    const [deployment] = yamlDocuments('deploy/k8s/deployment.yaml');
    const container = deployment.spec.template.spec.containers[0];
    const names = [...Object.keys(config.data), ...Object.keys(secret.stringData), ...container.env.map((e: { name: string }) => e.name)];
    expect(names.length).toBeGreaterThan(8);
    expect(unknown(names)).toEqual([]);
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.command.join(' ')).toBe(startScript);

    const [hpa] = yamlDocuments('deploy/k8s/hpa.yaml');
    expect(hpa.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
    const [ingress] = yamlDocuments('deploy/k8s/ingress.yaml');
    expect(Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    const [kustomization] = yamlDocuments('deploy/k8s/kustomization.yaml');
    for (const resource of kustomization.resources) expect(() => read(`deploy/k8s/${resource}`), resource).not.toThrow();
  });

  it('systemd units and env examples use only known variables and the documented start command', () => {
    const files = [...deployFiles('.service'), 'deploy/systemd/duet.env.example', 'deploy/.env.example'];
    const assigned = (text: string) => [...text.matchAll(/^(?:Environment=|#\s*)?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    const systemdNames = files.filter((f) => f.startsWith('deploy/systemd/')).flatMap((f) => assigned(read(f)));
    expect(systemdNames.length).toBeGreaterThan(4);
    expect(unknown(systemdNames)).toEqual([]);
    expect(read('deploy/systemd/duet.service')).toMatch(new RegExp(`^ExecStart=/usr/bin/${startScript}$`, 'm'));
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

  it('the Grafana dashboard is valid JSON with a query in every panel', () => {
    const dashboard = JSON.parse(read('deploy/grafana/duet-dashboard.json')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(dashboard.panels.length).toBeGreaterThan(8);
    for (const panel of dashboard.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
  });
});
