import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliInTerminal } from '../support/cli.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { tinyGraph } from '../support/fixtures.ts';
import { chain, node, publish } from '../support/workflows.ts';

let dir: string;
let server: TestApp;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duet-cli-'));
  server = await startTestApp();
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs a CLI command that talks to the test server, with its API key in DUET_API_KEY. */
const asMember = (args: string[], env: Record<string, string> = {}, timeoutMs?: number, stdin?: string) =>
  runCli(args, { DUET_API_KEY: server.key, ...env }, timeoutMs, stdin);

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('duet validate', () => {
  it('accepts a valid workflow with exit code 0', async () => {
    const result = await runCli(['validate', 'examples/refund-request.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"Refund request" is valid (5 nodes, 5 edges)');
  });

  it('prints every problem with its location and exits 1', async () => {
    const graph = {
      ...tinyGraph(),
      nodes: [...tinyGraph().nodes, { id: 'lost', type: 'function', name: 'Lost', config: {} }],
    };
    const result = await runCli(['validate', await file('bad.json', graph)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('2 problem(s)');
    expect(result.stderr).toMatch(/nodes\[2\]\.config\.code \[node lost\]: .*code is required/);
    expect(result.stderr).toMatch(/\[node lost\]: .*\(unreachable\)/);
  });

  it('names the file when it is not JSON or does not exist', async () => {
    const notJson = await runCli(['validate', await file('broken.json', '{ nope')]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain('broken.json is not valid JSON');
    const missing = await runCli(['validate', join(dir, 'missing.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });
});

describe('duet workflows', () => {
  it('imports a good file, lists it and exports it', async () => {
    const imported = await asMember(['workflows', '--url', url, 'import', 'examples/refund-request.json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported "Refund request" as refund-request');

    const list = await asMember(['workflows', '--url', url, 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/refund-request\s+Refund request\s+draft/);

    const out = join(dir, 'export.json');
    const exported = await asMember(['workflows', '--url', url, 'export', 'refund-request', '--out', out]);
    expect(exported.code).toBe(0);
    const written = JSON.parse(await readFile(out, 'utf8'));
    expect(written).toMatchObject({ format: 'duet.workflow', slug: 'refund-request' });
  });

  it("refuses a bad file with the server's problems and exits 1", async () => {
    const result = await asMember([
      'workflows',
      '--url',
      url,
      'import',
      await file('nostart.json', {
        name: 'x',
        nodes: [{ id: 'a', type: 'response', name: 'A', config: { output: 1 } }],
      }),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing_start');
  });

  it('says how to fix an unreachable server', async () => {
    const result = await runCli(['workflows', '--url', 'http://127.0.0.1:9', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach Duet at http://127.0.0.1:9');
  });

  it('says to set DUET_API_KEY when the server wants credentials, and that a revoked key is refused', async () => {
    const anonymous = await runCli(['workflows', '--url', url, 'list']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('Set DUET_API_KEY');
    const revoked = await runCli(['workflows', '--url', url, 'list'], { DUET_API_KEY: 'duet_not-a-real-key' });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('unknown or revoked');
  });
});

describe('duet run', () => {
  it('runs a workflow and shows each step live, then the output', async () => {
    await publish(server.app, {
      name: 'Double',
      inputs: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
      nodes: [
        node('start', 'start'),
        node('double', 'function', { code: 'return input.n * 2' }),
        node('done', 'response', { output: '{{ steps.double.output }}' }),
      ],
      edges: chain('start', 'double', 'done'),
    });
    const result = await asMember(['run', 'double', '--input', '{"n":21}', '--url', url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^execution [0-9a-f-]{36}$/);
    expect(lines).toEqual(
      expect.arrayContaining(['▶ started', '  ✓ step start', '  ✓ step double', '  ✓ step done', '■ completed', '42']),
    );
  });

  it('exits 1 and shows the reason when the execution fails', async () => {
    await publish(server.app, {
      name: 'Broken',
      nodes: [node('start', 'start'), node('boom', 'function', { code: 'throw new Error("no stock")' })],
      edges: chain('start', 'boom'),
    });
    const result = await asMember(['run', 'broken', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ step boom: Error: no stock');
  });

  it('refuses input that is not JSON or does not fit the workflow', async () => {
    const notJson = await asMember(['run', 'double', '--input', '{n:1}', '--url', url]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('--input is not valid JSON');
    const wrong = await asMember(['run', 'double', '--input', '{"n":"x"}', '--url', url]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('n must be a number');
  });
});

describe('duet chat', () => {
  it('holds a conversation line by line and runs a workflow from it', async () => {
    await publish(server.app, {
      name: 'Triple',
      inputs: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
      nodes: [
        node('start', 'start'),
        node('triple', 'function', { code: 'return input.n * 3' }),
        node('done', 'response', { output: '{{ steps.triple.output }}' }),
      ],
      edges: chain('start', 'triple', 'done'),
    });
    const result = await asMember(['chat', 'triple', '--url', url], {}, 60_000, 'what can I do?\nrun it\n14\nexit\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const replies = result.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('duet> '));
    expect(replies[0]).toContain('I can run "Triple"');
    expect(replies[1]).toContain('"run it"');
    expect(replies[2]).toMatch(/^duet> What is the n\?$/);
    expect(replies[3]).toContain('Result: 42');
  });

  it('shows what the person types in a real terminal, after a you> prompt', async () => {
    const screen = await runCliInTerminal(['chat', '--url', url], { DUET_API_KEY: server.key }, [
      { after: 'you> ', keys: 'what can I do?\r' },
      { after: 'you> ', keys: 'exit\r' },
    ]);
    expect(screen).toContain('you> what can I do?');
    expect(screen).toContain('you> exit');
  });
});

describe('duet migrate and seed', () => {
  it('migrates an empty embedded database, reports status, and seeds the examples once', async () => {
    const env = { DATA_DIR: join(dir, 'data') };
    const before = await runCli(['migrate', 'status'], env);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/0000_foundation\s+pending/);

    const migrated = await runCli(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('applied 0000_foundation');

    const after = await runCli(['migrate', 'status'], env);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/0000_foundation\s+applied/);

    const seeded = await runCli(['seed'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('created refund-request');
    const again = await runCli(['seed'], env);
    expect(again.stdout).toContain('Seeded 0 workflow(s)');
  }, 120_000);

  it('stops with every configuration problem listed', async () => {
    const result = await runCli(['migrate'], { PORT: 'x', LOG_FORMAT: 'xml' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT:');
    expect(result.stderr).toContain('LOG_FORMAT:');
  });

  it('shows help for every command', async () => {
    const commands = [
      ['--help'],
      ['serve', '--help'],
      ['migrate', '--help'],
      ['migrate', 'status', '--help'],
      ['seed', '--help'],
      ['workflows', '--help'],
      ['workflows', 'import', '--help'],
      ['validate', '--help'],
      ['run', '--help'],
      ['chat', '--help'],
      ['users', 'create', '--help'],
      ['workspaces', 'create', '--help'],
      ['members', 'add', '--help'],
      ['api-keys', 'create', '--help'],
    ];
    // Two at a time: each is a whole Node process loading the CLI, and fourteen at once on two cores could outlast
    // any sensible time limit (seen on a loaded machine).
    const results: Awaited<ReturnType<typeof runCli>>[] = [];
    for (let i = 0; i < commands.length; i += 2) {
      results.push(...(await Promise.all(commands.slice(i, i + 2).map((args) => runCli(args)))));
    }
    results.forEach((result, i) => {
      expect(result.code, commands[i]!.join(' ')).toBe(0);
      expect(result.stdout, commands[i]!.join(' ')).toContain('Usage: duet');
    });
    expect(results[0]!.stdout).toMatch(/users[\s\S]*workspaces[\s\S]*members[\s\S]*api-keys/);
  }, 180_000);
});
