import {
  evaluateExpression,
  evaluateTemplate,
  expressionSecretNames,
  secretNames,
  unwrapExpression,
  type TemplateContext,
} from '../graph/templates.ts';
import { blockDescriptor, retrySchema } from '../model/blocks.ts';
import type { WorkflowGraph, WorkflowNode } from '../model/graph.ts';
import type { EventInput } from '../model/events.ts';
import type { Change, ExecutionRow, StepRunRow } from '../store/executions.ts';
import { mergeChanges } from '../store/merge-changes.ts';
import { BLOCKS } from './blocks/index.ts';
import { StepError, type StepContext, type StepOutcome } from './blocks/types.ts';
import { checkChildren, spawnChildren } from './children.ts';
import { pausesAfter } from '../model/commands.ts';
import { TERMINAL, type ExecutionError, type TerminalStatus, type WaitReason } from '../model/execution.ts';
import { nowDate, sleep, timeoutSignal } from './clock.ts';
import { stepsView, templateContext, type StepsView } from './context.ts';
import type { StepFailure } from '../model/step-failure.ts';
import { toFailure } from './errors.ts';
import { redactChange, SecretValues } from './redact.ts';
import { executionOutput } from './output.ts';
import { hasErrorEdge, planScope } from './plan.ts';
import { backoffDelay, maxAttempts } from './retry.ts';
import { announce, type EngineRuntime } from './runtime.ts';
import { latestAttempts, nodeStates, retryTime, RUN_AGAIN, waitingFor, type WaitingFor } from './steps.ts';
import { finishExecution } from './finish.ts';
import { withSecrets } from './secrets.ts';

/**
 * Blocks with no effect outside the engine (the catalog's `effects: 'none'`): their steps are journaled in memory
 * and written with the next effectful write (ADR 0009). After a crash they simply run again from the last
 * committed point.
 */
function isPure(node: WorkflowNode): boolean {
  return blockDescriptor(node.type).effects === 'none';
}

/** Events carry a step's output only while it is small; the full output is on the step. */
const EVENT_OUTPUT_MAX_BYTES = 64 * 1024;

/**
 * Runs one execution until it finishes or has nothing left to do right now (waiting, paused). One
 * `ExecutionRun` per execution at a time: the dispatcher guarantees it, so every write is ordered.
 * Completed steps are never run again; a step found `running` after a crash is run again as a new attempt.
 */
export class ExecutionRun {
  private execution!: ExecutionRow;
  private graph!: WorkflowGraph;
  private latest = new Map<string, StepRunRow>();
  private outer: StepsView = {};
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly aborts = new Map<string, AbortController>();
  private wake: (() => void) | null = null;
  /** Changes of pure steps not written yet, already redacted and applied to `latest` (ADR 0009). */
  private journal: Change[] = [];
  private dirty = false;
  /** Values of the workspace secrets this run's steps have read: never written, never announced. */
  private readonly secretValues = new SecretValues();

  /** `created`: the row its creator just wrote in this process, so the first run need not read it back. */
  constructor(
    private readonly rt: EngineRuntime,
    private readonly executionId: string,
    private readonly created?: ExecutionRow,
  ) {}

  /** Called by commands: re-read the row at the next turn of the loop. */
  nudge(): void {
    this.dirty = true;
    this.wake?.();
  }

  async run(): Promise<void> {
    const row = this.created ?? (await this.rt.store.get(this.executionId));
    if (!row || TERMINAL.has(row.status) || row.status === 'paused') return;
    this.execution = row;
    this.graph = await this.rt.versions.graph(row.workspaceId, row.workflowId, row.version);
    // A row just created has no steps yet.
    this.latest = this.created ? new Map() : latestAttempts(await this.rt.store.steps(row.id));
    this.outer = await this.outerSteps(row);
    await this.markInterrupted();
    const { due, stillWaiting } = row.status === 'waiting' ? this.dueWaits() : { due: [], stillWaiting: false };
    if (due.length === 0 && stillWaiting) {
      if (this.execution.wakeAt) this.rt.timers.set(this.executionId, this.execution.wakeAt);
      return;
    }
    // A first run starts the clock; a queued execution that was paused and resumed has not started yet either.
    // Waits whose time has come complete in the same statement that resumes the execution, so no crash can
    // leave it waiting with nothing left to wait for.
    if (this.execution.status !== 'running' || !this.execution.startedAt) {
      const now = nowDate(this.rt.clock);
      const woken = due.map((r) => ({
        nodeId: r.nodeId,
        attempt: r.attempt,
        output: { waitedUntil: waitingFor(r)!.until },
      }));
      await this.commit({
        execution: {
          status: 'running',
          waiting: null,
          wakeAt: null,
          startedAt: row.startedAt ?? now,
          deadlineAt: new Date(this.rt.clock.now() + this.durationLimit()),
        },
        steps: woken.map((w) => ({ ...w, status: 'completed' as const, finishedAt: now })),
        events: [
          ...woken.map(({ nodeId, attempt, output }): EventInput => ({
            type: 'step.completed',
            nodeId,
            data: { attempt, output },
          })),
          { type: row.startedAt ? 'execution.resumed' : 'execution.started', data: {} },
        ],
      });
    }
    try {
      await this.loop();
    } finally {
      for (const controller of this.aborts.values()) controller.abort();
      await Promise.allSettled(this.inflight.values());
      // Whatever pure steps did before the run stopped (paused by a command, ended) is written now.
      if (this.journal.length > 0) await this.commit({ events: [] });
    }
  }

  private durationLimit(): number {
    return this.graph.settings?.timeoutMs ?? this.rt.limits.maxWorkflowDurationMs;
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.dirty) {
        this.dirty = false;
        this.execution = (await this.rt.store.get(this.executionId))!;
      }
      if (TERMINAL.has(this.execution.status)) return;
      if (this.execution.deadlineAt && this.rt.clock.now() > this.execution.deadlineAt.getTime()) {
        await this.end('timed_out', null, {
          code: 'timed_out',
          message: `the execution ran longer than ${this.durationLimit()} ms (MAX_WORKFLOW_DURATION_MS or settings.timeoutMs)`,
        });
        return;
      }
      if (await this.progressChildren()) continue;

      const failed = [...this.latest.values()].find((r) => r.status === 'failed' && r.handle !== 'error');
      if (failed) {
        if (this.inflight.size === 0) {
          const error = failed.error as StepFailure;
          await this.end('failed', null, {
            code: 'step_failed',
            message: `step "${failed.nodeId}" failed: ${error.message}`,
            nodeId: failed.nodeId,
            step: error,
          });
          return;
        }
      } else {
        const plan = planScope(this.graph, this.execution.scope ?? undefined, nodeStates(this.latest));
        for (const nodeId of plan.pruned) {
          await this.commit(
            { steps: [{ nodeId, attempt: 0, status: 'pruned' }], events: [{ type: 'step.pruned', nodeId }] },
            { journal: true },
          );
        }
        if (plan.finished && this.inflight.size === 0) {
          await this.end(
            'completed',
            executionOutput(this.graph, this.execution.scope ?? undefined, this.latest),
            null,
          );
          return;
        }
        if (plan.stuck.length > 0 && this.inflight.size === 0) {
          await this.end('failed', null, {
            code: 'stuck',
            message: `steps ${plan.stuck.join(', ')} wait on each other and can never start`,
          });
          return;
        }
        if (this.execution.status === 'running') {
          for (const nodeId of plan.ready) if (!this.inflight.has(nodeId)) this.start(nodeId);
        }
      }

      if (this.inflight.size === 0) {
        await this.park();
        return;
      }
      // Wake for whichever comes first: a step settles, a command arrives, or the deadline passes.
      let cancelDeadline = () => undefined as void;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        for (const p of this.inflight.values()) p.then(resolve, resolve);
        if (this.execution.deadlineAt)
          cancelDeadline = this.rt.clock.after(
            Math.max(0, this.execution.deadlineAt.getTime() - this.rt.clock.now()) + 1,
            resolve,
          );
      });
      cancelDeadline();
      this.wake = null;
    }
  }

  /** Nothing can run now: record what the execution waits for (a person, a time, or its children). */
  private async park(): Promise<void> {
    if (this.execution.status !== 'running') return;
    const waits = [...this.latest.values()]
      .map((r) => ({ row: r, waiting: waitingFor(r) }))
      .filter((w) => w.waiting && w.waiting.reason !== 'children');
    if (waits.length === 0) return; // only children are outstanding: each child re-dispatches us when it ends
    const human = waits.find((w) => w.waiting!.reason !== 'time') ?? waits[0]!;
    const times = waits.filter((w) => w.waiting!.reason === 'time').map((w) => new Date(w.waiting!.until!).getTime());
    const wakeAt = times.length > 0 ? new Date(Math.min(...times)) : null;
    // Waits for children were filtered out above: what is left waits for a person or a time.
    const { reason, prompt, schema, until } = human.waiting as WaitingFor & { reason: WaitReason };
    await this.commit({
      execution: { status: 'waiting', waiting: { reason, nodeId: human.row.nodeId, prompt, schema, until }, wakeAt },
      events: [{ type: 'execution.waiting', nodeId: human.row.nodeId, data: { reason, prompt, until } }],
    });
    if (wakeAt) this.rt.timers.set(this.executionId, wakeAt);
  }

  /**
   * Steps left 'running' by a process that died: record that, and let the planner run them again as
   * a new attempt (side effects are at-least-once; completed steps never run again).
   */
  private async markInterrupted(): Promise<void> {
    for (const row of [...this.latest.values()].filter((r) => r.status === 'running')) {
      const error = {
        code: 'interrupted',
        message: 'the process running this step stopped; the step runs again',
        retryable: true,
      };
      const finishedAt = nowDate(this.rt.clock);
      await this.commit({
        steps: [{ nodeId: row.nodeId, attempt: row.attempt, status: 'interrupted', error, finishedAt }],
        events: [{ type: 'step.interrupted', nodeId: row.nodeId, data: { attempt: row.attempt } }],
      });
    }
  }

  /** `wait` steps whose time has come, and whether anything else (a person, a later time) is still awaited. */
  private dueWaits(): { due: StepRunRow[]; stillWaiting: boolean } {
    const waits = [...this.latest.values()].filter((r) => waitingFor(r) && waitingFor(r)!.reason !== 'children');
    const isDue = (r: StepRunRow) =>
      waitingFor(r)!.reason === 'time' && new Date(waitingFor(r)!.until!).getTime() <= this.rt.clock.now();
    return { due: waits.filter(isDue), stillWaiting: waits.some((r) => !isDue(r)) };
  }

  private start(nodeId: string): void {
    const node = this.graph.nodes.find((n) => n.id === nodeId)!;
    const previous = this.latest.get(nodeId);
    // A queued retry, or an attempt a crash interrupted, runs under its own number: the http block's
    // Idempotency-Key (execution:node:attempt) then lets the receiver recognise a re-send after a crash.
    const attempt = previous && RUN_AGAIN.has(previous.status) ? previous.attempt : (previous?.attempt ?? 0) + 1;
    // A queued retry keeps its backoff across a restart: it waits what is left of it, not zero.
    const retryAt = previous?.status === 'retry' ? retryTime(previous) : undefined;
    const task = (
      retryAt === undefined ? this.attempt(node, attempt) : this.retryWhenDue(node, attempt, retryAt)
    ).finally(() => this.inflight.delete(nodeId));
    this.inflight.set(nodeId, task);
  }

  private async attempt(node: WorkflowNode, attempt: number): Promise<void> {
    const startedAt = nowDate(this.rt.clock);
    // An effectful step is committed 'running' before it acts (with every pure step before it); a pure
    // step's start is journaled and usually written together with its result.
    await this.commit(
      {
        steps: [{ nodeId: node.id, attempt, status: 'running', startedAt, output: null, error: null, handle: null }],
        events: [{ type: 'step.started', nodeId: node.id, data: { attempt, type: node.type } }],
      },
      { journal: isPure(node) },
    );
    const controller = new AbortController();
    this.aborts.set(node.id, controller);
    const captured: unknown[] = [];
    let outcome: StepOutcome | undefined;
    let failure: StepFailure | undefined;
    try {
      outcome = await this.invoke(node, attempt, controller, captured);
    } catch (error) {
      failure = toFailure(error);
    } finally {
      this.aborts.delete(node.id);
    }
    const input = captured.length === 0 ? null : captured.length === 1 ? captured[0] : captured;
    if (failure || !outcome) return this.failed(node, attempt, input, failure!);
    if (outcome.kind === 'completed')
      return this.completed(node, attempt, input, outcome.output, outcome.handle ?? null);
    if (outcome.kind === 'waiting') {
      const { reason, prompt, schema, until } = outcome;
      await this.commit({
        steps: [
          {
            nodeId: node.id,
            attempt,
            status: 'waiting',
            input,
            output: { waitingFor: { reason, prompt, schema, until } },
          },
        ],
        events: [{ type: 'step.waiting', nodeId: node.id, data: { attempt, reason, prompt, until } }],
      });
      return;
    }
    const waiting = {
      reason: 'children' as const,
      children: {
        total: outcome.children.length,
        concurrency: outcome.concurrency,
        collect: outcome.collect,
        specs: outcome.children,
      },
    };
    await this.commit({
      steps: [{ nodeId: node.id, attempt, status: 'waiting', input, output: { waitingFor: waiting } }],
      events: [
        {
          type: 'step.waiting',
          nodeId: node.id,
          data: { attempt, reason: 'children', total: outcome.children.length },
        },
      ],
    });
    await spawnChildren(this.rt, this.execution, node.id, this.latest.get(node.id)!).catch((error: unknown) =>
      this.failed(node, attempt, input, { ...toFailure(error), retryable: false }),
    );
  }

  /**
   * Runs the block with the step's timeout; template reads are captured as the step's input. Secrets a template
   * names are looked up for that one evaluation; `ctx.template` itself never holds them.
   */
  private async invoke(
    node: WorkflowNode,
    attempt: number,
    controller: AbortController,
    captured: unknown[],
  ): Promise<StepOutcome> {
    const timeoutMs = (node.config as { timeoutMs?: number } | undefined)?.timeoutMs;
    const signal = timeoutMs
      ? AbortSignal.any([controller.signal, timeoutSignal(this.rt.clock, timeoutMs)])
      : controller.signal;
    const template = templateContext(this.execution, stepsView(this.latest.values()), this.outer, this.rt.env);
    const ctx: StepContext = {
      executionId: this.executionId,
      workspaceId: this.execution.workspaceId,
      node,
      attempt,
      config: (node.config ?? {}) as Record<string, unknown>,
      template,
      signal,
      services: this.rt.services,
      render: async (value) => {
        const out = await evaluateTemplate(value, await this.readingSecrets(template, secretNames(value)));
        captured.push(out);
        return out;
      },
      evaluate: async (expression) => {
        const out = await evaluateExpression(
          unwrapExpression(expression),
          await this.readingSecrets(template, expressionSecretNames(expression)),
        );
        captured.push(out);
        return out;
      },
      progress: async (data) => {
        if (!signal.aborted)
          await this.commit({ events: [{ type: 'step.progress', nodeId: node.id, data: { attempt, ...data } }] });
      },
    };
    const work = BLOCKS[node.type](ctx);
    if (!timeoutMs) return work;
    // A block that ignores its signal still cannot outlive its timeout.
    return Promise.race([
      work,
      new Promise<never>((_, reject) =>
        signal.addEventListener(
          'abort',
          () =>
            reject(
              controller.signal.aborted
                ? new StepError('cancelled', 'cancelled', false)
                : new StepError(`step "${node.name}" ran longer than its timeout of ${timeoutMs} ms`, 'timeout', true),
            ),
          { once: true },
        ),
      ),
    ]);
  }

  private async completed(
    node: WorkflowNode,
    attempt: number,
    input: unknown,
    output: unknown,
    handle: string | null,
  ): Promise<void> {
    const json = JSON.stringify(output ?? null);
    const size = Buffer.byteLength(json);
    if (size > this.rt.limits.maxStepOutputBytes) {
      return this.failed(node, attempt, input, {
        code: 'output_too_large',
        retryable: false,
        message: `the step's output is ${size} bytes, over the ${this.rt.limits.maxStepOutputBytes}-byte limit (MAX_STEP_OUTPUT_BYTES); return less data`,
      });
    }
    const pause =
      pausesAfter(this.execution.mode, this.execution.pausePoints, node.id) && this.execution.status === 'running';
    const change: Change = {
      steps: [
        {
          nodeId: node.id,
          attempt,
          status: 'completed',
          input,
          output: output ?? null,
          handle,
          finishedAt: nowDate(this.rt.clock),
        },
      ],
      events: [
        {
          type: 'step.completed',
          nodeId: node.id,
          data: {
            attempt,
            handle,
            ...(size <= EVENT_OUTPUT_MAX_BYTES ? { output: output ?? null } : { outputBytes: size }),
          },
        },
      ],
    };
    if (pause) {
      change.execution = { status: 'paused' };
      change.events.push({
        type: 'execution.paused',
        nodeId: node.id,
        data: { reason: this.execution.mode === 'step-by-step' ? 'step-by-step' : 'pause-point' },
      });
    }
    this.rt.metrics.steps.inc({ type: node.type, status: 'completed' });
    // A pause point is written at once: the execution must be seen paused after this step.
    await this.commit(change, { journal: isPure(node) && !pause });
  }

  private async failed(node: WorkflowNode, attempt: number, input: unknown, failure: StepFailure): Promise<void> {
    const parsedPolicy = retrySchema.safeParse((node.config as { retry?: unknown } | undefined)?.retry);
    const policy = parsedPolicy.success ? parsedPolicy.data : undefined;
    const canRetry =
      failure.retryable &&
      attempt < maxAttempts(policy, this.rt.limits.maxRetryAttempts) &&
      this.execution.status === 'running' &&
      !TERMINAL.has(this.execution.status);
    this.rt.metrics.steps.inc({ type: node.type, status: canRetry ? 'retried' : 'failed' });
    if (canRetry) {
      const delayMs = backoffDelay(policy!, attempt + 1);
      const retryAt = this.rt.clock.now() + delayMs;
      // The next attempt is recorded as 'retry' with the failure and the time it is due, so a crash during the
      // delay still retries, once the rest of the delay has passed.
      await this.commit({
        steps: [
          { nodeId: node.id, attempt, status: 'failed', input, error: failure, finishedAt: nowDate(this.rt.clock) },
          {
            nodeId: node.id,
            attempt: attempt + 1,
            status: 'retry',
            output: { retryAt: new Date(retryAt).toISOString() },
          },
        ],
        events: [
          {
            type: 'step.retrying',
            nodeId: node.id,
            data: { attempt, nextAttempt: attempt + 1, delayMs, error: failure },
          },
        ],
      });
      return this.retryWhenDue(node, attempt + 1, retryAt);
    }
    const handled = hasErrorEdge(this.graph, node.id);
    await this.commit(
      {
        steps: [
          {
            nodeId: node.id,
            attempt,
            status: 'failed',
            input,
            error: failure,
            handle: handled ? 'error' : null,
            finishedAt: nowDate(this.rt.clock),
          },
        ],
        events: [{ type: 'step.failed', nodeId: node.id, data: { attempt, error: failure, handled } }],
      },
      { journal: isPure(node) },
    );
  }

  /** Runs a queued retry once its backoff has passed (`retryAt`, ms since the epoch on the engine's clock). */
  private async retryWhenDue(node: WorkflowNode, attempt: number, retryAt: number): Promise<void> {
    await sleep(this.rt.clock, retryAt - this.rt.clock.now());
    if (this.dirty) this.execution = (await this.rt.store.get(this.executionId))!;
    // Paused or cancelled meanwhile: the 'retry' row waits for a resume.
    if (this.execution.status === 'running') return this.attempt(node, attempt);
  }

  /** Loop/parallel/subworkflow steps: collect finished children and start more. True when something changed. */
  private async progressChildren(): Promise<boolean> {
    let changed = false;
    for (const row of [...this.latest.values()]) {
      if (waitingFor(row)?.reason !== 'children' || this.inflight.has(row.nodeId)) continue;
      const node = this.graph.nodes.find((n) => n.id === row.nodeId)!;
      const result = await checkChildren(this.rt, this.execution, row);
      if (result.kind === 'pending') continue;
      changed = true;
      if (result.kind === 'completed') await this.completed(node, row.attempt, row.input, result.output, null);
      else await this.failed(node, row.attempt, row.input, { ...result.failure, retryable: false });
    }
    return changed;
  }

  /** The template data for one evaluation that reads `names` (see `withSecrets`). */
  private readingSecrets(template: TemplateContext, names: string[]): Promise<TemplateContext> {
    return withSecrets(template, names, this.rt.services.secrets, this.execution.workspaceId, this.secretValues);
  }

  private async end(
    status: Exclude<TerminalStatus, 'cancelled'>,
    output: unknown,
    error: ExecutionError | null,
  ): Promise<void> {
    for (const controller of this.aborts.values()) controller.abort();
    this.execution = await this.writingJournal((journal) =>
      finishExecution(this.rt, this.executionId, status, output, error, mergeChanges([{ events: [] }, ...journal])),
    );
  }

  /** For container children: the parent's (and its ancestors') finished steps, read once per run. */
  private async outerSteps(row: ExecutionRow): Promise<StepsView> {
    if (!row.scope || !row.parentExecutionId) return {};
    const parent = await this.rt.store.get(row.parentExecutionId);
    if (!parent) return {};
    return {
      ...(await this.outerSteps(parent)),
      ...stepsView(latestAttempts(await this.rt.store.steps(parent.id)).values()),
    };
  }

  /**
   * Every step row and event of the run goes through here, redacted first (`redactChange`). A `journal` change
   * (a pure step's) is only remembered; any other change is committed together with the journal before it,
   * in one write, and only then announced. Nothing is announced before it is written.
   */
  private async commit(unredacted: Change, { journal = false } = {}): Promise<void> {
    const change = redactChange(unredacted, this.secretValues);
    if (journal) {
      this.journal.push(change);
      this.remember(change);
      return;
    }
    const { execution, events } = await this.writingJournal((journal) =>
      this.rt.store.commit(this.executionId, mergeChanges([...journal, change])),
    );
    this.execution = execution;
    this.remember(change);
    announce(this.rt, events);
  }

  /**
   * Hands the journal to `write` and forgets it once written. If the write fails (the database went away), the
   * entries stay journaled so the next write carries them: the run goes on, and a step must never be written
   * without the pure steps before it.
   */
  private async writingJournal<T>(write: (journal: Change[]) => Promise<T>): Promise<T> {
    const taken = this.journal;
    this.journal = [];
    try {
      return await write(taken);
    } catch (error) {
      this.journal = [...taken, ...this.journal];
      throw error;
    }
  }

  /** Keeps `latest` in step with what the run wrote (or journaled). */
  private remember(change: Change): void {
    for (const step of change.steps ?? []) {
      const prev = this.latest.get(step.nodeId);
      if (!prev || step.attempt >= prev.attempt) {
        this.latest.set(step.nodeId, {
          ...(prev && prev.attempt === step.attempt ? prev : emptyStep(this.executionId)),
          ...step,
        } as StepRunRow);
      }
    }
  }
}

function emptyStep(executionId: string): StepRunRow {
  return {
    id: '',
    executionId,
    nodeId: '',
    attempt: 0,
    status: 'pending',
    input: null,
    output: null,
    handle: null,
    error: null,
    startedAt: null,
    finishedAt: null,
  };
}
