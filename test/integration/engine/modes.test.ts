import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../../support/engine-harness.ts';
import { useScriptedService } from '../../support/scripted-service.ts';
import { chain, node } from '../../support/workflows.ts';

const service = useScriptedService();

let h: EngineHarness;
afterEach(async () => {
  service.hold?.forEach((answer) => answer());
  await h.close();
});

/** Resolves once the scripted service holds an answer, and lets it go. */
async function releaseOne(): Promise<void> {
  while (service.hold!.length === 0) await new Promise((r) => setTimeout(r, 10));
  service.hold!.shift()!();
}

describe('modes', () => {
  beforeEach(async () => {
    h = await startEngineHarness();
  });

  it('pauses after every step in step-by-step mode', async () => {
    const slug = await h.publish({
      name: 'Steps',
      nodes: [
        node('start', 'start'),
        node('a', 'function', { code: 'return 1' }),
        node('b', 'response', { output: 2 }),
      ],
      edges: chain('start', 'a', 'b'),
    });
    const { id } = await h.start(slug, {}, { mode: 'step-by-step' });
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      const paused = await h.waitFor(id, 'paused');
      seen.push(
        paused.steps
          .filter((s) => s.status === 'completed')
          .map((s) => s.nodeId)
          .join(','),
      );
      // The person resumes a moment later: steps are listed in the order they started.
      await h.advance(1);
      await h.command(id, 'resume');
    }
    expect(seen).toEqual(['start', 'start,a']);
    // Nothing is left after the last step, so it completes instead of pausing.
    expect((await h.waitFor(id, 'completed')).output).toBe(2);
  });
});

describe('concurrency limit', () => {
  beforeEach(async () => {
    h = await startEngineHarness({ env: { MAX_CONCURRENT_EXECUTIONS: '1' } });
  });

  it('starts the clock of a queued execution that was paused and resumed', async () => {
    service.hold = [];
    const slug = await h.publish(service.callGraph('Blocker'));
    const first = (await h.start(slug)).id;
    await h.waitFor(first, 'running');
    const second = (await h.start(slug)).id;
    expect((await h.command(second, 'pause')).status).toBe('paused');
    await h.command(second, 'resume');
    await releaseOne();
    await releaseOne();
    const done = await h.waitFor(second, 'completed');
    expect(done.startedAt).not.toBeNull();
    const types = (await h.events(second)).map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      'execution.queued',
      'execution.paused',
      'execution.resumed',
      'execution.started',
    ]);
  });
});
