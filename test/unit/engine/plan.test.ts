import { describe, expect, it } from 'vitest';
import { allowedCommands, pausesAfter } from '../../../src/model/commands.ts';
import { planScope, type NodeState } from '../../../src/engine/plan.ts';
import { backoffDelay, maxAttempts } from '../../../src/engine/retry.ts';
import type { WorkflowGraph } from '../../../src/model/graph.ts';

const n = (id: string, type = 'function', parentId?: string) =>
  ({ id, type, name: id, ...(parentId ? { parentId } : {}) }) as WorkflowGraph['nodes'][number];
const e = (source: string, target: string, sourceHandle?: string) => ({
  id: `${source}-${target}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});
const states = (entries: Record<string, NodeState>) => new Map(Object.entries(entries));

/** start → check(condition) → yes | no → join */
const diamond: WorkflowGraph = {
  name: 'diamond',
  nodes: [n('start', 'start'), n('check', 'condition'), n('yes'), n('no'), n('join')],
  edges: [e('start', 'check'), e('check', 'yes', 'true'), e('check', 'no', 'false'), e('yes', 'join'), e('no', 'join')],
};

describe('planScope', () => {
  it('starts with the start node only', () => {
    expect(planScope(diamond, undefined, new Map())).toEqual({
      ready: ['start'],
      pruned: [],
      finished: false,
      stuck: [],
    });
  });

  it('follows the taken handle and prunes the other branch', () => {
    const plan = planScope(
      diamond,
      undefined,
      states({ start: { status: 'completed' }, check: { status: 'completed', handle: 'true' } }),
    );
    expect(plan.ready).toEqual(['yes']);
    expect(plan.pruned).toEqual(['no']);
  });

  it('runs a join once every active branch is done', () => {
    const running = planScope(
      diamond,
      undefined,
      states({
        start: { status: 'completed' },
        check: { status: 'completed', handle: 'true' },
        yes: { status: 'running' },
        no: { status: 'pruned' },
      }),
    );
    expect(running.ready).toEqual([]);
    const done = planScope(
      diamond,
      undefined,
      states({
        start: { status: 'completed' },
        check: { status: 'completed', handle: 'true' },
        yes: { status: 'completed' },
        no: { status: 'pruned' },
      }),
    );
    expect(done.ready).toEqual(['join']);
  });

  it('prunes transitively and finishes when nothing is left', () => {
    const graph: WorkflowGraph = {
      name: 'g',
      nodes: [n('start', 'start'), n('gate', 'approval'), n('pay'), n('mail')],
      edges: [e('start', 'gate'), e('gate', 'pay', 'approved'), e('pay', 'mail')],
    };
    const plan = planScope(
      graph,
      undefined,
      states({ start: { status: 'completed' }, gate: { status: 'completed', handle: 'rejected' } }),
    );
    expect(plan.pruned).toEqual(['pay', 'mail']);
    expect(plan.finished).toBe(true);
  });

  it('takes only error edges from a handled failure and waits on an unhandled one', () => {
    const graph: WorkflowGraph = {
      name: 'g',
      nodes: [n('start', 'start'), n('call', 'http'), n('ok'), n('oops')],
      edges: [e('start', 'call'), e('call', 'ok'), e('call', 'oops', 'error')],
    };
    const handled = planScope(
      graph,
      undefined,
      states({ start: { status: 'completed' }, call: { status: 'failed', handle: 'error' } }),
    );
    expect(handled).toMatchObject({ ready: ['oops'], pruned: ['ok'] });
    const unhandled = planScope(
      graph,
      undefined,
      states({ start: { status: 'completed' }, call: { status: 'failed' } }),
    );
    expect(unhandled).toMatchObject({ ready: [], pruned: [], finished: false });
  });

  it('plans container children separately, starting from their entry nodes', () => {
    const graph: WorkflowGraph = {
      name: 'g',
      nodes: [
        n('start', 'start'),
        n('each', 'loop'),
        n('a', 'function', 'each'),
        n('b', 'function', 'each'),
        n('c', 'function', 'each'),
      ],
      edges: [e('start', 'each'), e('a', 'c'), e('b', 'c')],
    };
    expect(planScope(graph, 'each', new Map()).ready).toEqual(['a', 'b']);
    expect(planScope(graph, undefined, new Map()).ready).toEqual(['start']);
  });

  it('reports nodes that wait on each other forever', () => {
    const graph: WorkflowGraph = {
      name: 'g',
      nodes: [n('each', 'loop'), n('a', 'function', 'each'), n('b', 'function', 'each')],
      edges: [e('a', 'b'), e('b', 'a')],
    };
    expect(planScope(graph, 'each', new Map()).stuck).toEqual(['a', 'b']);
  });
});

describe('commands', () => {
  it('offers answers only for what the execution waits on', () => {
    expect(allowedCommands({ status: 'waiting', waiting: { reason: 'input', nodeId: 'x' }, failedNodes: [] })).toEqual([
      'input',
      'skip',
      'pause',
      'cancel',
    ]);
    expect(allowedCommands({ status: 'waiting', waiting: { reason: 'time', nodeId: 'x' }, failedNodes: [] })).toEqual([
      'skip',
      'pause',
      'cancel',
    ]);
    expect(allowedCommands({ status: 'failed', waiting: null, failedNodes: ['x'] })).toEqual(['retry', 'skip']);
    expect(allowedCommands({ status: 'failed', waiting: null, failedNodes: [] })).toEqual([]);
    expect(allowedCommands({ status: 'completed', waiting: null, failedNodes: [] })).toEqual([]);
    expect(allowedCommands({ status: 'paused', waiting: null, failedNodes: [] })).toEqual(['resume', 'cancel']);
  });

  it('pauses after every step in step-by-step mode and at pause points in hybrid mode', () => {
    expect(pausesAfter('step-by-step', [], 'a')).toBe(true);
    expect(pausesAfter('hybrid', ['a'], 'a')).toBe(true);
    expect(pausesAfter('hybrid', ['a'], 'b')).toBe(false);
    expect(pausesAfter('autonomous', ['a'], 'a')).toBe(false);
  });
});

describe('retry policy', () => {
  it('computes fixed, linear and exponential delays', () => {
    expect([2, 3, 4].map((k) => backoffDelay({ maxAttempts: 4, backoff: 'fixed', delayMs: 100 }, k))).toEqual([
      100, 100, 100,
    ]);
    expect([2, 3, 4].map((k) => backoffDelay({ maxAttempts: 4, backoff: 'linear', delayMs: 100 }, k))).toEqual([
      100, 200, 300,
    ]);
    expect([2, 3, 4].map((k) => backoffDelay({ maxAttempts: 4, backoff: 'exponential', delayMs: 100 }, k))).toEqual([
      100, 200, 400,
    ]);
  });

  it('bounds attempts by the configured maximum', () => {
    expect(maxAttempts(undefined, 3)).toBe(1);
    expect(maxAttempts({ maxAttempts: 10, backoff: 'fixed', delayMs: 0 }, 3)).toBe(3);
  });
});
