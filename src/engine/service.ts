import { DuetError, notFound } from '../model/errors.ts';
import type { ExecutionMode } from '../model/graph.ts';
import { checkInputValues } from '../model/input-values.ts';
import type { InputSchema } from '../model/input-schema.ts';
import type { ExecutionEventData, StoredEvent } from '../model/events.ts';
import type { Change, ExecutionFilters, ExecutionRow } from '../store/executions.ts';
import type { WorkflowRepository } from '../store/workflows.ts';
import { allowedCommands, type Command } from '../model/commands.ts';
import { TERMINAL, type WaitingInfo } from '../model/execution.ts';
import { nowDate } from './clock.ts';
import { finishExecution } from './finish.ts';
import { announce, type EngineCore } from './runtime.ts';
import { latestAttempts } from './steps.ts';
import type { ExecutionView } from '../model/views.ts';
import { executionView } from './view.ts';

export interface StartRequest {
  input: Record<string, unknown>;
  mode?: ExecutionMode;
  pausePoints?: string[];
  version?: number;
  /** The id the new execution gets (chosen beforehand by a caller that records it first, e.g. a trigger). */
  id?: string;
}

export interface CommandArgs {
  nodeId?: string;
  values?: Record<string, unknown>;
  comment?: string;
  handle?: string;
}

const MAX_EVENTS_PER_READ = 1000;
const SETTLED: ReadonlySet<string> = new Set([...TERMINAL, 'waiting', 'paused']);

/** The engine's API: start executions, read them, follow their events and steer them with commands. */
export class ExecutionService {
  constructor(
    private readonly rt: EngineCore,
    private readonly workflows: WorkflowRepository,
  ) {}

  async start(workspaceId: string, workflowRef: string, request: StartRequest): Promise<ExecutionView> {
    return (await this.startAndWait(workspaceId, workflowRef, request, 0)).execution;
  }

  /**
   * Starts an execution and waits up to `waitMs` for it to end; `ended` says whether it did, `execution` is its
   * state then. The end is heard on the bus, which announces only what is committed, and answered from the row
   * that commit returned plus one read of the steps (a run in another process, queue mode, costs a read of the row).
   */
  async startAndWait(
    workspaceId: string,
    workflowRef: string,
    request: StartRequest,
    waitMs: number,
  ): Promise<{ ended: boolean; execution: ExecutionView }> {
    const accepted = await this.accept(workspaceId, workflowRef, request);
    const { id } = accepted.execution;
    if (waitMs <= 0) {
      this.dispatch(accepted);
      return { ended: false, execution: executionView(accepted.execution, [], accepted.graph) };
    }
    let committed: ExecutionRow | undefined;
    // Listening before the run is dispatched: even a run that ends at once cannot end unheard.
    const end = this.listen(id, (event, row) => {
      if (!reaches(event, TERMINAL)) return false;
      committed = row;
      return true;
    });
    try {
      this.dispatch(accepted);
      if (await end.within(waitMs)) {
        const [row, steps] = await Promise.all([committed ?? this.rt.store.get(id), this.rt.store.steps(id)]);
        return { ended: true, execution: executionView(row!, steps, accepted.graph) };
      }
    } finally {
      end.stop();
    }
    // Not heard ending in time: its state now (it may also have ended unheard, a pub/sub message lost).
    const now = await this.get(workspaceId, id);
    return { ended: TERMINAL.has(now.status), execution: now };
  }

  /** Checks a start request and commits the execution `queued`; nothing runs it yet. */
  private async accept(workspaceId: string, workflowRef: string, request: StartRequest) {
    const workflow = await this.workflows.get(workspaceId, workflowRef);
    const version = request.version ?? workflow.latestVersion;
    if (version === null) {
      throw new DuetError(
        'conflict',
        `workflow "${workflow.slug}" has no published version yet; publish its draft with POST /api/v1/workflows/${workflow.slug}/versions`,
      );
    }
    if (workflow.latestVersion === null || version > workflow.latestVersion)
      throw notFound(`version of workflow ${workflow.slug}`, String(version));
    const graph = await this.rt.versions.graph(workspaceId, workflow.id, version);
    const { values, problems } = checkInputValues(graph.inputs, request.input);
    if (problems.length > 0) {
      throw new DuetError(
        'invalid_input',
        `the input does not fit workflow "${workflow.slug}": ${problems.map((p) => p.message).join('; ')}`,
        problems,
      );
    }
    const pausePoints = request.pausePoints ?? graph.settings?.pausePoints ?? [];
    const unknown = pausePoints.filter((id) => !graph.nodes.some((n) => n.id === id));
    if (unknown.length > 0) {
      throw new DuetError(
        'invalid_input',
        `pausePoints name steps this version does not have: ${unknown.join(', ')}`,
        unknown.map((id) => ({ code: 'unknown_node', path: 'pausePoints', message: `no step "${id}"` })),
      );
    }
    const mode = request.mode ?? graph.settings?.mode ?? 'autonomous';
    const { execution, event } = await this.rt.store.create(
      {
        ...(request.id ? { id: request.id } : {}),
        workspaceId,
        workflowId: workflow.id,
        version,
        status: 'queued',
        mode,
        input: values,
        pausePoints,
      },
      { type: 'execution.queued', data: { mode, version } },
    );
    return { execution, event, graph };
  }

  /** Announces the accepted execution and hands it to whatever runs it. */
  private dispatch({ execution, event }: { execution: ExecutionRow; event: StoredEvent }): void {
    announce(this.rt, [event]);
    this.rt.created.put(execution);
    this.rt.dispatch.enqueue(execution.id);
  }

  async get(workspaceId: string, id: string): Promise<ExecutionView> {
    const row = await this.row(workspaceId, id);
    const graph = await this.rt.versions.graph(row.workspaceId, row.workflowId, row.version);
    return executionView(row, await this.rt.store.steps(row.id), graph);
  }

  async list(workspaceId: string, filters: ExecutionFilters) {
    const page = await this.rt.store.list(workspaceId, filters);
    return {
      items: page.items.map((row) => executionView(row, [], null)).map(({ steps: _steps, ...rest }) => rest),
      nextCursor: page.nextCursor,
    };
  }

  /** Events after `after`; with `waitMs`, waits for the next one if there is none yet (long-poll). */
  async events(workspaceId: string, id: string, after: number, waitMs: number): Promise<StoredEvent[]> {
    await this.row(workspaceId, id);
    const read = () => this.rt.store.events(id, after, MAX_EVENTS_PER_READ);
    if (waitMs <= 0) return read();
    const heard: StoredEvent[] = [];
    // Listen before reading, so an event committed in between is not missed.
    const listener = this.listen(id, (event) => {
      if (event.offset > after) heard.push(event);
      return heard.length > 0;
    });
    try {
      const first = await read();
      if (first.length > 0) return first;
      // Announced events are committed: answer with them, unless a gap says one went by unheard.
      if ((await listener.within(waitMs)) && heard.every((event, i) => event.offset === after + 1 + i))
        return heard.slice(0, MAX_EVENTS_PER_READ);
      return read();
    } finally {
      listener.stop();
    }
  }

  /** Resolves once the execution needs nobody but a person (ended, waiting, paused) or `waitMs` passed. */
  async waitForSettle(id: string, waitMs: number): Promise<boolean> {
    const listener = this.listen(id, (event) => reaches(event, SETTLED));
    try {
      const reached = async () => SETTLED.has((await this.rt.store.get(id))?.status ?? '');
      return (await reached()) || (await listener.within(waitMs)) || (await reached());
    } finally {
      listener.stop();
    }
  }

  async command(workspaceId: string, id: string, command: Command, args: CommandArgs = {}): Promise<ExecutionView> {
    const current = await this.row(workspaceId, id);
    const latest = latestAttempts(await this.rt.store.steps(id));
    const graph = await this.rt.versions.graph(current.workspaceId, current.workflowId, current.version);
    const limitMs = graph.settings?.timeoutMs ?? this.rt.limits.maxWorkflowDurationMs;
    const failedNodes = [...latest.values()]
      .filter((s) => s.status === 'failed' && s.handle !== 'error')
      .map((s) => s.nodeId);
    const { events } = await this.rt.store.commit(id, (locked) => {
      const allowed = allowedCommands({
        status: locked.status,
        waiting: locked.waiting as WaitingInfo | null,
        failedNodes,
      });
      if (!allowed.includes(command)) {
        throw new DuetError(
          'conflict',
          `cannot ${command} an execution that is ${locked.status}${locked.waiting ? ` (waiting for ${(locked.waiting as WaitingInfo).reason})` : ''}; allowed now: ${allowed.join(', ') || 'nothing'}`,
          allowed.map((c) => ({ code: 'allowed_command', path: '', message: c })),
        );
      }
      // Cancelling is ending: it goes through finishExecution (children, metrics, parent) below.
      return command === 'cancel' ? { events: [] } : this.change(locked, command, args, latest, failedNodes, limitMs);
    });
    announce(this.rt, events);
    if (command === 'cancel')
      await finishExecution(this.rt, id, 'cancelled', null, { code: 'cancelled', message: 'cancelled by a command' });
    else if (command === 'pause') this.rt.nudge(id);
    else this.rt.dispatch.enqueue(id);
    return this.get(workspaceId, id);
  }

  /** The change a command makes; `limitMs` is the workflow's duration limit, restarted when a person answers. */
  private change(
    row: ExecutionRow,
    command: Exclude<Command, 'cancel'>,
    args: CommandArgs,
    latest: ReturnType<typeof latestAttempts>,
    failedNodes: string[],
    limitMs: number,
  ): Change {
    const now = nowDate(this.rt.clock);
    const waiting = row.waiting as WaitingInfo | null;
    const resume = {
      status: 'running',
      waiting: null,
      wakeAt: null,
      deadlineAt: new Date(now.getTime() + limitMs),
    } as const;
    switch (command) {
      case 'pause':
        return { execution: { status: 'paused' }, events: [{ type: 'execution.paused', data: { reason: 'command' } }] };
      case 'resume':
        return {
          execution: { status: 'running', deadlineAt: resume.deadlineAt },
          events: [{ type: 'execution.resumed', data: {} }],
        };
      case 'input': {
        const step = this.waitingStep(waiting, args.nodeId, latest, 'input');
        const { values, problems } = checkInputValues(waiting!.schema as InputSchema, args.values ?? {});
        if (problems.length > 0)
          throw new DuetError(
            'invalid_input',
            `the values do not fit step "${step.nodeId}": ${problems.map((p) => p.message).join('; ')}`,
            problems,
          );
        return {
          execution: resume,
          steps: [{ nodeId: step.nodeId, attempt: step.attempt, status: 'completed', output: values, finishedAt: now }],
          events: [
            { type: 'input.received', nodeId: step.nodeId, data: { values } },
            { type: 'step.completed', nodeId: step.nodeId, data: { attempt: step.attempt, output: values } },
          ],
        };
      }
      case 'approve':
      case 'reject': {
        const step = this.waitingStep(waiting, args.nodeId, latest, 'approval');
        const decision = command === 'approve' ? 'approved' : 'rejected';
        const output: ExecutionEventData['approval.decided'] = { decision, comment: args.comment ?? null };
        return {
          execution: resume,
          steps: [
            {
              nodeId: step.nodeId,
              attempt: step.attempt,
              status: 'completed',
              output,
              handle: decision,
              finishedAt: now,
            },
          ],
          events: [
            { type: 'approval.decided', nodeId: step.nodeId, data: output },
            { type: 'step.completed', nodeId: step.nodeId, data: { attempt: step.attempt, handle: decision, output } },
          ],
        };
      }
      case 'retry': {
        const nodeId = args.nodeId ?? failedNodes[0]!;
        const step = latest.get(nodeId);
        if (!step || !failedNodes.includes(nodeId))
          throw new DuetError('conflict', `step "${nodeId}" has not failed; failed steps: ${failedNodes.join(', ')}`);
        return {
          execution: { ...resume, error: null, finishedAt: null },
          steps: [{ nodeId, attempt: step.attempt + 1, status: 'retry' }],
          events: [{ type: 'step.retry_requested', nodeId, data: { attempt: step.attempt + 1 } }],
        };
      }
      case 'skip': {
        const nodeId = args.nodeId ?? waiting?.nodeId ?? failedNodes[0];
        const step = nodeId ? latest.get(nodeId) : undefined;
        if (!step || !(step.status === 'waiting' || failedNodes.includes(step.nodeId))) {
          throw new DuetError(
            'conflict',
            `step "${nodeId ?? '?'}" is neither waiting nor failed, so it cannot be skipped`,
          );
        }
        return {
          execution: { ...resume, error: null, finishedAt: null },
          steps: [
            {
              nodeId: step.nodeId,
              attempt: step.attempt,
              status: 'skipped',
              output: null,
              handle: args.handle ?? null,
              finishedAt: now,
            },
          ],
          events: [
            { type: 'step.skipped', nodeId: step.nodeId, data: { attempt: step.attempt, handle: args.handle ?? null } },
          ],
        };
      }
    }
  }

  /** The step an answer is for: the named one, or the one the execution waits on. */
  private waitingStep(
    waiting: WaitingInfo | null,
    nodeId: string | undefined,
    latest: ReturnType<typeof latestAttempts>,
    reason: 'input' | 'approval',
  ) {
    const target = nodeId ?? waiting?.nodeId;
    const step = target ? latest.get(target) : undefined;
    const waitsFor = (step?.output as { waitingFor?: { reason?: string } } | null)?.waitingFor?.reason;
    if (!step || step.status !== 'waiting' || waitsFor !== reason) {
      throw new DuetError(
        'conflict',
        `step "${target ?? '?'}" is not waiting for ${reason === 'input' ? 'input' : 'an approval'}${waiting ? `; the execution waits on step "${waiting.nodeId}" for ${waiting.reason}` : ''}`,
      );
    }
    return step;
  }

  private async row(workspaceId: string, id: string): Promise<ExecutionRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.rt.store.get(id) : null;
    if (!row || row.workspaceId !== workspaceId) throw notFound('execution', id);
    return row;
  }

  /**
   * A subscription that can be awaited with a time limit: `within` is true once `hear` has returned true for an
   * event, false when the time ran out or the server is shutting down.
   */
  private listen(id: string, hear: (event: StoredEvent, committed?: ExecutionRow) => boolean) {
    let fire!: (heard: boolean) => void;
    const fired = new Promise<boolean>((resolve) => {
      fire = resolve;
    });
    const unsubscribe = this.rt.bus.subscribe(id, (event, committed) => {
      if (hear(event, committed)) fire(true);
    });
    // A shutting-down server answers open long-polls at once instead of holding up the shutdown.
    const onClose = () => fire(false);
    this.rt.bus.closing.addEventListener('abort', onClose, { once: true });
    let cancelTimer = () => undefined as void;
    return {
      within: (ms: number) =>
        Promise.race([
          fired,
          new Promise<boolean>((resolve) => {
            cancelTimer = this.rt.clock.after(ms, () => resolve(false));
          }),
        ]),
      stop: () => {
        cancelTimer();
        unsubscribe();
        this.rt.bus.closing.removeEventListener('abort', onClose);
      },
    };
  }
}

/** Whether an event announces that its execution reached one of `statuses`. */
const reaches = (event: StoredEvent, statuses: ReadonlySet<string>) =>
  event.type.startsWith('execution.') && statuses.has(event.type.slice('execution.'.length));
