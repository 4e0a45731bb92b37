import { describe, expect, it } from 'vitest';
import { addPending, changesDraft, executionOf, mergeTurn, tooLongText } from '../../../web/src/chat/chat-logic.ts';
import { addActivity, changesCounts, MAX_ACTIVITY } from '../../../web/src/dashboard/activity.ts';
import { executionsQuery, withinSince } from '../../../web/src/executions/filters.ts';
import { journeyToFlow } from '../../../web/src/executions/journey-flow.ts';
import { matchRoute } from '../../../web/src/lib/router.ts';
import type { Execution, ExecutionEvent, StepView } from '../../../web/src/lib/types.ts';
import { commandTarget, enabledCommands } from '../../../web/src/run/commands.ts';
import { applyEvent, emptyRun, nodeStatuses } from '../../../web/src/run/run-state.ts';
import { formToValues, initialValues } from '../../../web/src/run/schema-form.ts';

const event = (
  offset: number,
  type: ExecutionEvent['type'],
  nodeId: string | null = null,
  data: Record<string, unknown> = {},
) => ({ executionId: 'x', offset, type, nodeId, data, at: '2026-01-01T00:00:00.000Z' }) as ExecutionEvent;

describe('run state from execution events', () => {
  it('gives each node its live status and the run its status', () => {
    const events = [
      event(1, 'execution.queued'),
      event(2, 'execution.started'),
      event(3, 'step.started', 'a', { attempt: 1 }),
      event(4, 'step.completed', 'a', { attempt: 1 }),
      event(5, 'step.pruned', 'b'),
      event(6, 'step.started', 'c', { attempt: 1 }),
      event(7, 'step.retrying', 'c', { attempt: 1, delayMs: 10 }),
      event(8, 'step.started', 'c', { attempt: 2 }),
      event(9, 'step.waiting', 'c', { attempt: 2, reason: 'approval' }),
      event(10, 'execution.waiting', null, { reason: 'approval', prompt: 'Go?' }),
    ];
    const state = events.reduce(applyEvent, emptyRun('x'));
    expect(state.nodes).toEqual({ a: 'done', b: 'skipped', c: 'waiting' });
    expect(state.attempts.c).toBe(2);
    expect(state.status).toBe('waiting');
    expect(state.lastOffset).toBe(10);
    expect(state.timeline.at(-1)!.text).toBe('Waiting for approval: Go?');
  });

  it('ignores replayed offsets and other executions, so a replay overlapping live events changes nothing', () => {
    const once = [event(1, 'execution.queued'), event(2, 'step.failed', 'a', { error: { message: 'boom' } })].reduce(
      applyEvent,
      emptyRun('x'),
    );
    expect(applyEvent(once, event(2, 'step.completed', 'a'))).toBe(once);
    expect(applyEvent(once, { ...event(3, 'step.completed', 'a'), executionId: 'y' })).toBe(once);
    expect(once.nodes.a).toBe('failed');
    expect(once.timeline[1]!.text).toBe('“a” failed: boom');
  });
});

describe('node statuses on the canvas', () => {
  const nodes = [{ id: 'a' }, { id: 'b' }, { id: 'loop' }, { id: 'child', parentId: 'loop' }];
  it('shows top-level steps that have not started as queued while the run goes on, and only real statuses after', () => {
    const running = [event(1, 'execution.queued'), event(2, 'step.started', 'a')].reduce(applyEvent, emptyRun('x'));
    expect(nodeStatuses(running, nodes)).toEqual({ a: 'running', b: 'queued', loop: 'queued' });
    const ended = applyEvent(running, event(3, 'execution.cancelled'));
    expect(nodeStatuses(ended, nodes)).toEqual({ a: 'running' });
    expect(nodeStatuses(emptyRun('x'), nodes)).toEqual({});
  });
});

describe('command buttons', () => {
  const execution = (patch: Partial<Execution>): Execution => ({
    id: 'x',
    workflowId: 'w',
    version: 1,
    status: 'running',
    mode: 'autonomous',
    pausePoints: [],
    waiting: null,
    input: {},
    output: null,
    error: null,
    currentNodeIds: [],
    progress: 0,
    parentExecutionId: null,
    steps: [],
    createdAt: '',
    startedAt: null,
    finishedAt: null,
    ...patch,
  });
  const step = (nodeId: string, attempt: number, status: StepView['status']): StepView => ({
    nodeId,
    type: 'function',
    status,
    attempt,
    input: null,
    output: null,
    handle: null,
    error: null,
    startedAt: null,
    finishedAt: null,
  });

  it('enables exactly what the server allows in each state', () => {
    expect([...enabledCommands(execution({ status: 'running' }))]).toEqual(['pause', 'cancel']);
    expect([
      ...enabledCommands(execution({ status: 'waiting', waiting: { reason: 'approval', nodeId: 'g' } })),
    ]).toEqual(['approve', 'reject', 'skip', 'pause', 'cancel']);
    expect([...enabledCommands(execution({ status: 'paused' }))]).toEqual(['resume', 'cancel']);
    expect([...enabledCommands(execution({ status: 'completed' }))]).toEqual([]);
    expect(enabledCommands(null).size).toBe(0);
  });

  it('retries or skips the step whose latest attempt failed', () => {
    const failed = execution({
      status: 'failed',
      steps: [step('a', 1, 'failed'), step('b', 1, 'failed'), step('b', 2, 'completed')],
    });
    expect([...enabledCommands(failed)]).toEqual(['retry', 'skip']);
    expect(commandTarget(failed)).toBe('a');
    expect([
      ...enabledCommands(execution({ status: 'failed', steps: [step('b', 1, 'failed'), step('b', 2, 'completed')] })),
    ]).toEqual([]);
  });
});

describe('forms generated from input schemas', () => {
  const schema = {
    type: 'object' as const,
    required: ['orderId', 'amount'],
    properties: {
      orderId: { type: 'string' as const },
      amount: { type: 'number' as const, description: 'Amount in EUR' },
      count: { type: 'integer' as const, default: 2 },
      urgent: { type: 'boolean' as const },
      tags: { type: 'array' as const, items: { type: 'number' as const } },
    },
  };

  it('types what was typed and reports what is missing or wrong per field', () => {
    expect(initialValues(schema)).toEqual({ orderId: '', amount: '', count: '2', urgent: false, tags: '' });
    expect(formToValues(schema, { orderId: 'A-1', amount: '40.5', count: '3', urgent: true, tags: '1, 2' })).toEqual({
      values: { orderId: 'A-1', amount: 40.5, count: 3, urgent: true, tags: [1, 2] },
      errors: {},
    });
    const bad = formToValues(schema, { orderId: ' ', amount: 'lots', count: '1.5', urgent: false, tags: 'x' });
    expect(bad.errors).toEqual({
      orderId: 'orderId is required',
      amount: 'Amount in EUR must be a number',
      count: 'count must be a whole number',
      tags: 'tags must be a number',
    });
  });
});

describe('chat answers', () => {
  it('reloads the draft after editing intents or a draft action, and follows the execution', () => {
    expect(changesDraft({ intent: 'add-block', action: null })).toBe(true);
    expect(changesDraft({ intent: 'unknown', action: { type: 'update-draft' } })).toBe(true);
    expect(changesDraft({ intent: 'start', action: { type: 'start', executionId: 'e' } })).toBe(false);
    expect(executionOf({ action: { type: 'approve', executionId: 'e1' } })).toBe('e1');
    expect(executionOf({ action: null, state: { executionId: 'e2' } })).toBe('e2');
    expect(executionOf({ action: null })).toBeNull();
  });
});

describe('chat history', () => {
  it('shows a sent message at once, before the progress it causes, and its echo confirms it instead of repeating it', () => {
    let turns = addPending([{ role: 'assistant', text: 'Hi' }], 'run it');
    turns = mergeTurn(turns, { role: 'assistant', text: '✓ Start done', intent: 'progress' });
    turns = mergeTurn(turns, { role: 'user', text: 'run it', intent: 'start' });
    turns = mergeTurn(turns, { role: 'assistant', text: 'Started', intent: 'start' });
    expect(turns.map((t) => [t.role, t.text, Boolean(t.pending)])).toEqual([
      ['assistant', 'Hi', false],
      ['user', 'run it', false],
      ['assistant', '✓ Start done', false],
      ['assistant', 'Started', false],
    ]);
    expect(mergeTurn(turns, { role: 'user', text: 'from another tab' }).at(-1)!.text).toBe('from another tab');
  });
});

describe('dashboard activity', () => {
  it('keeps execution milestones, newest first, once each, bounded', () => {
    let feed = addActivity([], { ...event(1, 'execution.queued'), workflowId: 'w' });
    feed = addActivity(feed, event(2, 'step.started', 'a'));
    feed = addActivity(feed, event(3, 'execution.failed', null, { error: { message: 'no' } }));
    feed = addActivity(feed, event(3, 'execution.failed'));
    expect(feed.map((f) => [f.text, f.tone])).toEqual([
      ['Failed: no', 'bad'],
      ['Queued', 'info'],
    ]);
    for (let i = 10; i < 100; i++) feed = addActivity(feed, event(i, 'execution.completed'));
    expect(feed).toHaveLength(MAX_ACTIVITY);
    expect(changesCounts({ type: 'execution.completed' })).toBe(true);
    expect(changesCounts({ type: 'step.completed' })).toBe(false);
  });
});

describe('routes and filters', () => {
  it('maps URLs to pages', () => {
    expect(matchRoute('/')).toEqual({ page: 'dashboard' });
    expect(matchRoute('/workflows/refund-request')).toEqual({ page: 'editor', workflowId: 'refund-request' });
    expect(matchRoute('/executions', '?status=failed')).toEqual({
      page: 'executions',
      workflowId: undefined,
      status: 'failed',
    });
    expect(matchRoute('/executions/abc')).toEqual({ page: 'execution', executionId: 'abc' });
    expect(matchRoute('/nope/x/y')).toEqual({ page: 'not-found', path: '/nope/x/y' });
  });

  it('builds the list query and filters by age', () => {
    expect(executionsQuery({ workflowId: 'w', status: 'failed' })).toBe('limit=50&workflowId=w&status=failed');
    expect(executionsQuery({}, false)).toBe('');
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(withinSince('2026-01-01T12:00:00Z', '24h', now)).toBe(true);
    expect(withinSince('2026-01-01T12:00:00Z', '1h', now)).toBe(false);
    expect(withinSince('2020-01-01T00:00:00Z', 'all', now)).toBe(true);
  });
});

describe('journey graph', () => {
  it('draws states and transitions, dropping transitions to unknown states', () => {
    const flow = journeyToFlow({
      name: 'j',
      states: [
        {
          id: 's',
          kind: 'initial',
          nodeId: 'start',
          blockType: 'start',
          label: 'Start',
          description: '',
          terminal: false,
        },
        {
          id: 'a',
          kind: 'chat',
          nodeId: 'ask',
          blockType: 'approval',
          label: 'Ask',
          description: 'Asks',
          terminal: false,
        },
      ],
      transitions: [
        { id: 't1', from: 's', to: 'a', handle: null, condition: 'after Start' },
        { id: 't2', from: 'a', to: 'zzz', handle: 'approved', condition: '' },
      ],
    });
    expect(flow.edges.map((e) => e.id)).toEqual(['t1']);
    expect(flow.nodes[1]!.className).toContain('kind-chat');
    expect(flow.nodes[1]!.position.x).toBeGreaterThan(flow.nodes[0]!.position.x);
  });
});

describe('a message over the chat limit', () => {
  it('is not cut short: the person is told its length and the limit', () => {
    expect(tooLongText('x'.repeat(1000))).toBeNull();
    expect(tooLongText(`  ${'x'.repeat(1000)}  `)).toBeNull();
    expect(tooLongText('x'.repeat(1234))).toBe(
      'This message has 1,234 characters; the chat takes 1,000 at most. Shorten it to send it.',
    );
  });
});
