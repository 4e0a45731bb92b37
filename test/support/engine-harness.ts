import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Config } from '../../src/config/env.ts';
import { encryptionKeyBytes } from '../../src/config/env.ts';
import type { Command } from '../../src/model/commands.ts';
import { TERMINAL } from '../../src/model/execution.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import type { CommandArgs, StartRequest } from '../../src/engine/service.ts';
import { requireValidGraph } from '../../src/graph/require-valid.ts';
import type { Database } from '../../src/store/db.ts';
import type { StoredEvent } from '../../src/model/events.ts';
import type { ExecutionView } from '../../src/model/views.ts';
import { SecretStore } from '../../src/store/secrets.ts';
import { WorkflowRepository } from '../../src/store/workflows.ts';
import { ensureDefaultWorkspace } from '../../src/store/workspaces.ts';
import { testConfig } from './config.ts';
import { openTestDatabase } from './db.ts';
import { ManualClock } from './manual-clock.ts';

/** How long (real time) `waitFor` lets an execution take before the test fails instead of hanging. */
const WAIT_FOR_MS = 10_000;

/** The engine alone on a private database, without HTTP or accounts, on a clock the test moves. */
export interface EngineHarness {
  engine: Engine;
  db: Database;
  config: Config;
  clock: ManualClock;
  /** The default workspace, where workflows are published and run. */
  workspaceId: string;
  /** Creates a workflow from a graph (validated as the API does) and publishes it; returns its slug. */
  publish(graph: object): Promise<string>;
  start(
    workflow: string,
    input?: Record<string, unknown>,
    options?: Omit<StartRequest, 'input'>,
  ): Promise<ExecutionView>;
  /** Starts an execution and resolves with it once it has ended, as the API's `?waitMs` does. */
  run(workflow: string, input?: Record<string, unknown>, options?: Omit<StartRequest, 'input'>): Promise<ExecutionView>;
  get(executionId: string): Promise<ExecutionView>;
  command(executionId: string, command: Command, args?: CommandArgs): Promise<ExecutionView>;
  events(executionId: string): Promise<StoredEvent[]>;
  /** Resolves with the execution once its status is one of `statuses`; re-checks on each of its events. */
  waitFor(executionId: string, statuses: string | string[]): Promise<ExecutionView>;
  /** Moves the clock forward, firing the engine's timers that come due. */
  advance(ms: number): Promise<void>;
  /**
   * A crash and a restart `afterMs` later: the engine stops (what it was doing stays in the database as a killed
   * process leaves it), and a new one on a clock `afterMs` ahead recovers on the same database.
   */
  restart(afterMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startEngineHarness(
  options: { clock?: ManualClock; env?: Record<string, string> } = {},
): Promise<EngineHarness> {
  const config = testConfig(options.env);
  const clock = options.clock ?? new ManualClock();
  const db = await openTestDatabase();
  const { id: workspaceId } = await ensureDefaultWorkspace(db);
  const secrets = new SecretStore(db, encryptionKeyBytes(config.ENCRYPTION_KEY!)!);
  const engineOn = (on: ManualClock) =>
    createEngine(db, config, new Registry(), pino({ level: 'silent' }), undefined, secrets, on);
  const workflows = new WorkflowRepository(db);
  const get = (id: string) => harness.engine.service.get(workspaceId, id);

  const harness: EngineHarness = {
    engine: engineOn(clock),
    db,
    config,
    clock,
    workspaceId,
    async publish(graph) {
      const valid = requireValidGraph(graph, { maxRetryAttempts: config.MAX_RETRY_ATTEMPTS });
      const { slug } = await workflows.create(workspaceId, valid);
      await workflows.publish(workspaceId, slug, null);
      return slug;
    },
    start: (workflow, input = {}, startOptions = {}) =>
      harness.engine.service.start(workspaceId, workflow, { ...startOptions, input }),
    async run(workflow, input = {}, startOptions = {}) {
      const { id } = await harness.start(workflow, input, startOptions);
      return harness.waitFor(id, [...TERMINAL]);
    },
    get,
    command: (id, command, args) => harness.engine.service.command(workspaceId, id, command, args),
    events: (id) => harness.engine.service.events(workspaceId, id, 0, 0),
    async waitFor(id, statuses) {
      const wanted = [statuses].flat();
      let changed = () => undefined as void;
      // Subscribed before reading, so an event committed in between still wakes us.
      const unsubscribe = harness.engine.bus.subscribe(id, () => changed());
      let guard: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'gave up'>((resolve) => {
        guard = setTimeout(() => resolve('gave up'), WAIT_FOR_MS);
      });
      try {
        for (;;) {
          const next = new Promise<void>((resolve) => {
            changed = resolve;
          });
          const execution = await get(id);
          if (wanted.includes(execution.status)) return execution;
          if ((await Promise.race([next, gaveUp])) === 'gave up')
            throw new Error(
              `execution ${id} is ${execution.status}, expected ${wanted.join('|')}: ${JSON.stringify(execution.error ?? execution.waiting)}`,
            );
        }
      } finally {
        clearTimeout(guard);
        unsubscribe();
      }
    },
    advance: (ms) => harness.clock.advance(ms),
    async restart(afterMs) {
      harness.engine.bus.close();
      await harness.engine.close();
      harness.clock = new ManualClock(harness.clock.now() + afterMs);
      harness.engine = engineOn(harness.clock);
      await harness.engine.recover();
    },
    async close() {
      harness.engine.bus.close();
      await harness.engine.close();
      await db.close();
    },
  };
  return harness;
}
