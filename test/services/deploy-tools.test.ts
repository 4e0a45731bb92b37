import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY, read } from '../support/deploy.ts';

/** Runs a Debian tool; a missing tool fails the test with how to install it (never a silent skip). */
function run(tool: string, args: string[], debianPackage: string): { code: number | null; output: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(`${tool} is not installed: apt-get install ${debianPackage} (.ci/run does this)`);
  }
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duet-deploy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('deploy/ configurations pass their own tools', () => {
  it('nginx -t accepts deploy/nginx/nginx.conf (with a throw-away certificate and the upstream on loopback)', async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'privkey.pem'),
        '-out',
        join(dir, 'fullchain.pem'),
      ],
      { stdio: 'ignore' },
    );
    // Only what cannot exist on a CI machine changes: the compose service name and the certificate directory.
    const conf = read('deploy/nginx/nginx.conf')
      .replace('server duet:3000;', 'server 127.0.0.1:3000;')
      .replaceAll('/etc/nginx/certs/', `${dir}/`);
    expect(conf).not.toContain('server duet:3000');
    await writeFile(join(dir, 'nginx.conf'), conf);
    const result = run(
      'nginx',
      ['-t', '-c', join(dir, 'nginx.conf'), '-p', `${dir}/`, '-e', join(dir, 'error.log')],
      'nginx',
    );
    expect(result.output, result.output).toContain('test is successful');
    expect(result.code).toBe(0);
  });

  it('nginx -t rejects a broken copy, so the check above can fail', async () => {
    await writeFile(
      join(dir, 'broken.conf'),
      read('deploy/nginx/nginx.conf').replace('limit_req_status 429;', 'limit_req_status;'),
    );
    const result = run(
      'nginx',
      ['-t', '-c', join(dir, 'broken.conf'), '-p', `${dir}/`, '-e', join(dir, 'error.log')],
      'nginx',
    );
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('invalid number of arguments');
  });

  it('promtool accepts prometheus.yml and alerts.yml, and the alert unit tests pass', () => {
    const config = run('promtool', ['check', 'config', join(DEPLOY, 'prometheus/prometheus.yml')], 'prometheus');
    expect(config.output).toContain('SUCCESS');
    expect(config.code).toBe(0);
    const rules = run('promtool', ['check', 'rules', join(DEPLOY, 'prometheus/alerts.yml')], 'prometheus');
    expect(rules.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(rules.code).toBe(0);
    const tests = run('promtool', ['test', 'rules', join(DEPLOY, 'prometheus/alerts.test.yml')], 'prometheus');
    expect(tests.output).toContain('SUCCESS');
    expect(tests.code).toBe(0);
  });
});
