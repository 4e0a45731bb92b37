import { PERMISSION_WORDS, type Permission } from '../model/roles.ts';
import { allowedCommands, type Command } from '../model/commands.ts';
import type { WaitingInfo } from '../model/execution.ts';
import type { ExecutionService } from '../engine/service.ts';
import type { ExecutionView } from '../model/views.ts';
import { DuetError } from '../model/errors.ts';
import type { WorkflowGraph } from '../model/graph.ts';
import type { InputSchema } from '../model/input-schema.ts';
import { checkFieldValue, checkInputValues } from '../model/input-values.ts';
import type { ConversationRow, ConversationStore } from '../store/conversations.ts';
import type { Workflow, WorkflowRepository } from '../store/workflows.ts';
import { coerceAnswer, expectation } from './coerce.ts';
import { conversationConfigSchema, type ConversationConfig, type DialogueState, type PendingAction } from './config.ts';
import { DraftEditor, isEditIntent } from './editing.ts';
import type { EditIntent } from './nlu/edits.ts';
import { knowledgeBaseNames, type KnowledgeAnswers } from './knowledge-chat.ts';
import type { Citation } from '../model/knowledge-hits.ts';
import { mapJourney } from '../journey/map.ts';
import { askField, commandPhrases, describeExecution, explainState, journeyOutline } from './replies.ts';
import { styleReply } from './style.ts';
import type { Understand, Understanding } from './understanding.ts';

/** Intents a reply to "what is the amount?" may be classified as; anything else is a new request. */
const ANSWER_INTENTS: ReadonlySet<string> = new Set(['unknown', 'provide-input', 'approve', 'reject']);
/** Published graphs kept in memory (oldest dropped first): bounded, however many workflows a server sees. */
const VERSION_GRAPH_CACHE = 256;

export interface Reply {
  reply: string;
  intent: string;
  confidence: number;
  action: {
    type: string;
    executionId?: string;
    workflowId?: string;
    knowledgeBaseId?: string;
    /** The sources an answer from a knowledge base cites, for links in the chat. */
    citations?: Citation[];
  } | null;
  suggestedActions: string[];
}

export interface ConversationLimits {
  maxSessions: number;
  sessionTimeoutMs: number;
  /** How long a reply waits for an execution to reach a person or an end before answering. */
  settleMs: number;
  /** Edits by chat are validated with the same limit as the API's. */
  maxRetryAttempts: number;
}

export interface ConversationHooks {
  /** A conversation starts following an execution, so progress reaches it. */
  onFollow?: (executionId: string) => void;
  /** Turns were stored, so every view of the conversation (other tabs, the canvas) can show them. */
  onTurns?: (
    conversationId: string,
    turns: Array<{ role: 'user' | 'assistant'; text: string; intent: string; action?: Reply['action'] }>,
  ) => void;
}

/** What a message is about: the bound workflow and its current execution, freshly read. */
interface Scene {
  conversation: ConversationRow;
  state: DialogueState;
  config: ConversationConfig;
  workflows: Workflow[];
  workflow: Workflow | null;
  graph: WorkflowGraph | null;
  execution: ExecutionView | null;
  /** What the person's role lets the chat do for them (viewers may start runs but not steer them or edit). */
  may: (permission: Permission) => boolean;
}

/**
 * The dialogue manager: turns messages into real engine actions and answers in plain language.
 * Every turn and the dialogue state are persisted with the session, so a restart loses nothing.
 */
export class ConversationService {
  private readonly editor: DraftEditor;
  private readonly versionGraphs = new Map<string, WorkflowGraph>();

  constructor(
    private readonly store: ConversationStore,
    private readonly workflows: WorkflowRepository,
    private readonly executions: ExecutionService,
    private readonly understand: Understand,
    private readonly limits: ConversationLimits,
    private readonly hooks: ConversationHooks = {},
    private readonly knowledge?: KnowledgeAnswers,
  ) {
    this.editor = new DraftEditor(workflows, limits.maxRetryAttempts);
  }

  async start(
    workspaceId: string,
    options: { workflowId?: string; config?: unknown; channel: string; userId?: string | null },
  ) {
    if ((await this.store.countActive(workspaceId)) >= this.limits.maxSessions) {
      throw new DuetError(
        'rate_limited',
        `there are already ${this.limits.maxSessions} active conversations (MAX_CONCURRENT_SESSIONS); end one or wait for it to expire`,
      );
    }
    const config = conversationConfigSchema.parse(options.config ?? {});
    const workflow = options.workflowId ? await this.workflows.get(workspaceId, options.workflowId) : null;
    const knowledge = config.knowledgeBaseId ? await this.knowledgeBase(workspaceId, config.knowledgeBaseId) : null;
    const conversation = await this.store.create({
      workspaceId,
      channel: options.channel,
      userId: options.userId ?? null,
      workflowId: workflow?.id ?? null,
      config,
      expiresAt: new Date(Date.now() + this.limits.sessionTimeoutMs),
    });
    const greeting = knowledge
      ? `Hi! Ask me anything about "${knowledge.name}": I answer from its documents and show my sources.`
      : workflow
        ? `Hi! I can run "${workflow.name}" for you and keep you posted. Say "run it", or ask "what does it do?".`
        : 'Hi! I can list your workflows, run one and steer it while it runs. Try "list workflows" or "run <workflow>".';
    const reply = styleReply(greeting, config);
    const suggestedActions = workflow ? ['run it', 'describe the workflow', 'help'] : ['list workflows', 'help'];
    const saved = await this.store.append(conversation.id, [{ role: 'assistant', text: reply }], {});
    return { conversation: saved, reply, suggestedActions };
  }

  async message(
    workspaceId: string,
    id: string,
    text: string,
    may: (permission: Permission) => boolean,
    /** Public visitors (the chat page) know the bound workflow only: no other is listed, described or run. */
    options: { onlyBoundWorkflow?: boolean } = {},
  ): Promise<Reply & { conversation: ConversationRow }> {
    const scene = { ...(await this.scene(workspaceId, id, options.onlyBoundWorkflow ?? false)), may };
    const context = (graph: WorkflowGraph | null) => ({
      workflows: scene.workflows.map((w) => ({ id: w.id, slug: w.slug, name: w.name })),
      steps: scene.graph?.nodes.map((n) => ({ id: n.id, name: n.name })) ?? [],
      inputFields: this.fieldsInPlay(scene, graph),
    });
    let understood = await this.understand(text, context(scene.graph));
    // "run <another workflow> with amount=40": read the values again against that workflow's inputs.
    const named =
      understood.intent === 'start' && understood.workflow && understood.workflow.id !== scene.workflow?.id
        ? scene.workflows.find((w) => w.id === understood.workflow!.id)
        : undefined;
    if (named) understood = await this.understand(text, context(await this.graphOf(workspaceId, named)));
    // The message is stored before anything acts on it, so progress it causes follows it in the history.
    await this.store.append(
      id,
      [{ role: 'user', text, intent: understood.intent, confidence: understood.confidence }],
      {},
    );
    const result = await this.respond(scene, text, understood);
    const conversation = await this.store.append(
      id,
      [{ role: 'assistant', text: result.reply, intent: result.intent, action: result.action }],
      {
        state: scene.state,
        workflowId: scene.workflow?.id ?? null,
        executionId: scene.execution?.id ?? null,
        expiresAt: new Date(Date.now() + this.limits.sessionTimeoutMs),
      },
    );
    this.hooks.onTurns?.(id, [
      { role: 'user', text, intent: understood.intent },
      {
        role: 'assistant',
        text: result.reply,
        intent: result.intent,
        ...(result.action ? { action: result.action } : {}),
      },
    ]);
    return { ...result, conversation };
  }

  /** Binds the conversation to a knowledge base (or unbinds it with null); the chat says so in a turn. */
  async bindKnowledge(workspaceId: string, id: string, knowledgeBaseId: string | null) {
    const conversation = await this.store.get(workspaceId, id);
    const { knowledgeBaseId: _previous, ...config } = conversationConfigSchema.parse(conversation.config);
    let text = 'I will no longer answer from a knowledge base.';
    if (knowledgeBaseId !== null) {
      const { name } = await this.knowledgeBase(workspaceId, knowledgeBaseId);
      text = `I will answer questions from "${name}" now, with the passages I used as sources.`;
    }
    const reply = styleReply(text, conversationConfigSchema.parse(config));
    const saved = await this.store.append(id, [{ role: 'assistant', text: reply, intent: 'ask-knowledge' }], {
      config: knowledgeBaseId === null ? config : { ...config, knowledgeBaseId },
    });
    this.hooks.onTurns?.(id, [{ role: 'assistant', text: reply, intent: 'ask-knowledge' }]);
    return saved;
  }

  private async names(workspaceId: string, graph: WorkflowGraph) {
    return { knowledgeBases: await knowledgeBaseNames(this.knowledge?.lookup, workspaceId, graph) };
  }

  private knowledgeBase(workspaceId: string, knowledgeBaseId: string) {
    if (!this.knowledge) throw new DuetError('unavailable', 'this server has no knowledge bases');
    return this.knowledge.lookup.getBase(workspaceId, knowledgeBaseId);
  }

  async get(workspaceId: string, id: string) {
    const conversation = await this.store.get(workspaceId, id);
    return { conversation, turns: await this.store.turns(id) };
  }

  remove(workspaceId: string, id: string): Promise<void> {
    return this.store.remove(workspaceId, id);
  }

  private async scene(workspaceId: string, id: string, onlyBound: boolean): Promise<Omit<Scene, 'may'>> {
    const conversation = await this.store.get(workspaceId, id);
    // The newest 100 workflows can be named in chat; the bound one is always known, however old.
    const listed = onlyBound ? [] : (await this.workflows.list(workspaceId, { limit: 100 })).items;
    const workflow = conversation.workflowId
      ? (listed.find((w) => w.id === conversation.workflowId) ??
        (await this.workflows.find(workspaceId, conversation.workflowId)))
      : null;
    const workflows = onlyBound ? (workflow ? [workflow] : []) : listed;
    const execution = conversation.executionId
      ? await this.executions.get(workspaceId, conversation.executionId)
      : null;
    return {
      conversation,
      workflows,
      workflow,
      execution,
      state: { ...(conversation.state as DialogueState) },
      config: conversationConfigSchema.parse(conversation.config),
      graph: await this.graphOf(workspaceId, workflow, execution?.version),
    };
  }

  private async graphOf(
    workspaceId: string,
    workflow: Workflow | null,
    version?: number,
  ): Promise<WorkflowGraph | null> {
    if (!workflow) return null;
    const number = version ?? workflow.latestVersion;
    if (!number) return workflow.draft;
    // A published version never changes, so its graph is read once, not on every turn.
    const key = `${workflow.id}@${number}`;
    const cached = this.versionGraphs.get(key);
    if (cached) return cached;
    const graph = await this.workflows.versionGraph(workspaceId, workflow.id, number);
    if (this.versionGraphs.size >= VERSION_GRAPH_CACHE)
      this.versionGraphs.delete(this.versionGraphs.keys().next().value!);
    this.versionGraphs.set(key, graph);
    return graph;
  }

  /** Input fields a value in this message may be for: those a waiting step asks for, else the workflow's inputs. */
  private fieldsInPlay(scene: Scene, graph: WorkflowGraph | null): Array<{ name: string; type: string }> {
    const waiting =
      scene.execution?.status === 'waiting'
        ? ((scene.execution.waiting as WaitingInfo | null)?.schema as InputSchema | undefined)
        : undefined;
    const schema = !scene.state.collecting && waiting ? waiting : graph?.inputs;
    return Object.entries(schema?.properties ?? {}).map(([name, field]) => ({ name, type: field.type }));
  }

  private async respond(
    scene: Scene,
    text: string,
    u: Understanding,
  ): Promise<Omit<Reply, 'suggestedActions'> & { suggestedActions: string[] }> {
    const waiting = scene.execution?.status === 'waiting' ? (scene.execution.waiting as WaitingInfo) : null;
    const said = (reply: string, action: Reply['action'] = null, intent = u.intent) => ({
      reply: styleReply(reply, scene.config),
      intent,
      confidence: u.confidence,
      action,
      suggestedActions: this.suggestions(scene),
    });

    // A pending action needs a yes or a no; anything else drops it and is handled as a new request.
    const pending = scene.state.pending;
    delete scene.state.pending;
    if (pending && (u.yesNo || u.intent === 'approve' || u.intent === 'reject')) {
      const yes = u.intent === 'approve' || (u.intent !== 'reject' && u.yesNo === 'yes');
      if (!yes) return said('OK, I left everything as it was.', null, 'reject');
      return said(
        ...(await this.carryOut(scene, pending)),
        pending.action === 'edit' ? pending.intent : pending.action,
      );
    }

    // While collecting inputs, a message is an answer unless it is clearly something else ("cancel", "help").
    if (scene.state.collecting && ANSWER_INTENTS.has(u.intent)) return said(...(await this.collect(scene, text, u)));
    if (waiting?.reason === 'approval' && (u.yesNo || u.intent === 'approve' || u.intent === 'reject')) {
      const approve = u.intent === 'approve' || (u.intent !== 'reject' && u.yesNo === 'yes');
      return said(...(await this.command(scene, approve ? 'approve' : 'reject', {})), approve ? 'approve' : 'reject');
    }
    if (waiting?.reason === 'input' && (Object.keys(u.values).length > 0 || u.intent === 'provide-input')) {
      return said(...(await this.command(scene, 'input', { values: u.values })), 'provide-input');
    }
    if (isEditIntent(u.intent)) return said(...(await this.edit(scene, u.intent, u, text)));
    // In a conversation bound to a knowledge base, a question the NLU cannot place is asked of the base.
    if (u.intent === 'unknown' && scene.config.knowledgeBaseId && this.knowledge)
      return said(...(await this.askKnowledge(scene, text)), 'ask-knowledge');
    switch (u.intent) {
      case 'help':
        return said(this.help(scene));
      case 'list-workflows':
        return said(this.listWorkflows(scene));
      case 'describe-workflow':
        return said(await this.describe(scene, u));
      case 'start':
        return said(...(await this.startRun(scene, u)));
      case 'status':
      case 'progress':
        return said(this.status(scene));
      case 'pause':
        return said(...(await this.command(scene, 'pause', {})));
      case 'resume':
        return said(...(await this.command(scene, 'resume', {})));
      case 'cancel':
        if (scene.state.collecting) {
          delete scene.state.collecting;
          return said('OK, I will not start it.');
        }
        if (scene.config.askForConfirmation && scene.execution)
          return said(
            ...this.confirm(
              scene,
              { action: 'cancel' },
              `Cancel this run of "${scene.workflow?.name ?? 'the workflow'}"?`,
            ),
          );
        return said(...(await this.command(scene, 'cancel', {})));
      case 'approve':
        return said(...(await this.command(scene, 'approve', {})));
      case 'reject':
        return said(...(await this.command(scene, 'reject', {})));
      case 'provide-input':
        return said(...(await this.command(scene, 'input', { values: u.values })));
      case 'skip-step':
        return said(...(await this.command(scene, 'skip', { nodeId: u.step?.id })));
      case 'retry-step':
        return said(...(await this.command(scene, 'retry', { nodeId: u.step?.id })));
      case 'explain-step':
        return said(await this.explainStep(scene, u));
      case 'switch-mode':
        return said(this.switchMode(scene, text));
      case 'ask-knowledge':
        return said(...(await this.askKnowledge(scene, text)));
      case 'unknown':
        return said(
          u.clarify ? `${u.clarify.question}` : 'Sorry, I did not understand. Say "help" to see what I can do.',
          null,
          'unknown',
        );
      default: {
        // Every intent is answered above: one added to INTENTS without a reply here fails to compile.
        const unhandled: never = u.intent;
        throw new Error(`no reply for the intent ${String(unhandled)}`);
      }
    }
  }

  private async askKnowledge(scene: Scene, text: string): Promise<[string, Reply['action']]> {
    const knowledgeBaseId = scene.config.knowledgeBaseId;
    if (!knowledgeBaseId || !this.knowledge)
      return [
        'This conversation is not bound to a knowledge base yet: choose one in the chat (Knowledge) and ask again.',
        null,
      ];
    try {
      const answer = await this.knowledge.answer(scene.conversation.workspaceId, knowledgeBaseId, text);
      return [answer.text, { type: 'knowledge-answer', knowledgeBaseId, citations: answer.cited }];
    } catch (error) {
      if (error instanceof DuetError && error.code === 'not_found')
        return ['The knowledge base this conversation was bound to no longer exists: choose another one.', null];
      throw error;
    }
  }

  /** Keeps an action until the person says yes (askForConfirmation). */
  private confirm(scene: Scene, pending: PendingAction, question: string): [string, Reply['action']] {
    scene.state.pending = pending;
    return [
      `${question} (yes / no)`,
      { type: 'confirm', ...('workflowId' in pending ? { workflowId: pending.workflowId } : {}) },
    ];
  }

  private async carryOut(scene: Scene, pending: PendingAction): Promise<[string, Reply['action']]> {
    if (pending.action === 'cancel') return this.command(scene, 'cancel', {});
    if (pending.action === 'edit' && !scene.may('workflows.write')) return [refusal('workflows.write'), null];
    const workflow =
      scene.workflows.find((w) => w.id === pending.workflowId) ??
      (await this.workflows.get(scene.conversation.workspaceId, pending.workflowId));
    scene.workflow = workflow;
    if (pending.action === 'edit')
      return [await this.editor.save(workflow, pending.edit), { type: 'edit-draft', workflowId: workflow.id }];
    scene.graph = await this.graphOf(workflow.workspaceId, workflow);
    scene.execution = null;
    return this.continueCollecting(scene, { workflowId: workflow.id, values: pending.values, asking: '' }, true);
  }

  /** Changes the bound workflow's draft; the bound one wins over a name that merely resembles another workflow. */
  private async edit(
    scene: Scene,
    intent: EditIntent,
    u: Understanding,
    text: string,
  ): Promise<[string, Reply['action']]> {
    if (!scene.may('workflows.write')) return [refusal('workflows.write'), null];
    const workflow = scene.workflow ?? this.pickWorkflow(scene, u);
    if (!workflow)
      return [`Which workflow should I change? Say "describe <workflow>" first. ${this.listWorkflows(scene)}`, null];
    scene.workflow = workflow;
    const proposal = await this.editor.propose(workflow, intent, text);
    if ('reply' in proposal) return [proposal.reply, null];
    if (scene.config.askForConfirmation) {
      return this.confirm(
        scene,
        { action: 'edit', intent, workflowId: workflow.id, edit: proposal.edit },
        `About to change the draft of "${workflow.name}": ${proposal.summary}. Go ahead?`,
      );
    }
    return [await this.editor.save(workflow, proposal.edit), { type: 'edit-draft', workflowId: workflow.id }];
  }

  private help(scene: Scene): string {
    if (scene.execution) {
      const allowed = allowedCommands({
        status: scene.execution.status,
        waiting: scene.execution.waiting as WaitingInfo | null,
        failedNodes: this.failedNodes(scene.execution),
      });
      const now = allowed.length ? `Right now you can: ${commandPhrases(allowed).join(', ')}.` : 'This run has ended.';
      return `${now} You can also ask "status", "explain <step>", or "run ${scene.workflow?.name ?? '<workflow>'}" again.`;
    }
    return `You can: ${scene.workflow ? `"run it" (${scene.workflow.name}), ` : ''}"list workflows", "describe <workflow>", "run <workflow> with amount=40".`;
  }

  private listWorkflows(scene: Scene): string {
    if (scene.workflows.length === 0)
      return 'There are no workflows yet. Import one with `duet workflows import <file>`.';
    return `Your workflows: ${scene.workflows.map((w) => `${w.name}${w.latestVersion ? '' : ' (draft only)'}`).join(', ')}.`;
  }

  private async describe(scene: Scene, u: Understanding): Promise<string> {
    const workflow = this.pickWorkflow(scene, u);
    if (!workflow) return 'Which workflow? Say "describe <workflow name>".';
    const graph = await this.graphOf(workflow.workspaceId, workflow);
    if (!graph) return `"${workflow.name}" has no steps yet.`;
    const inputs = Object.entries(graph.inputs?.properties ?? {}).map(
      ([name, f]) => `${name}${f.description ? ` (${f.description})` : ''}`,
    );
    return `"${workflow.name}"${graph.description ? `: ${graph.description}` : ''}. Steps: ${journeyOutline(mapJourney(graph, await this.names(workflow.workspaceId, graph)))}.${inputs.length ? ` It needs: ${inputs.join(', ')}.` : ''}`;
  }

  private pickWorkflow(scene: Scene, u: Understanding): Workflow | null {
    const named = u.workflow ? scene.workflows.find((w) => w.id === u.workflow!.id) : undefined;
    return named ?? scene.workflow;
  }

  private async startRun(scene: Scene, u: Understanding): Promise<[string, Reply['action']]> {
    if (!scene.may('executions.start')) return [refusal('executions.start'), null];
    const workflow = this.pickWorkflow(scene, u);
    if (!workflow) return [`Which workflow should I run? ${this.listWorkflows(scene)}`, null];
    if (!workflow.latestVersion) return [`"${workflow.name}" has no published version yet; publish it first.`, null];
    scene.workflow = workflow;
    scene.graph = await this.graphOf(workflow.workspaceId, workflow);
    scene.execution = null;
    const given = this.knownValues(scene.graph, u.values, u.numbers);
    return this.continueCollecting(scene, { workflowId: workflow.id, values: given, asking: '' });
  }

  /**
   * Values the message gave that belong to the workflow's inputs. A lone bare number ("40 euros")
   * goes to the only numeric input still unnamed; anything less certain is asked for instead.
   */
  private knownValues(
    graph: WorkflowGraph | null,
    values: Record<string, unknown>,
    numbers: number[] = [],
  ): Record<string, unknown> {
    const fields = graph?.inputs?.properties ?? {};
    const known = Object.fromEntries(Object.entries(values).filter(([name]) => name in fields));
    const numeric = Object.keys(fields).filter(
      (name) => ['number', 'integer'].includes(fields[name]!.type) && known[name] === undefined,
    );
    const unclaimed = numbers.filter((n) => !Object.values(known).includes(n));
    if (numeric.length === 1 && unclaimed.length === 1) known[numeric[0]!] = unclaimed[0];
    return known;
  }

  /** Asks for the next missing required input, or starts the run when none is missing. */
  private async continueCollecting(
    scene: Scene,
    collecting: NonNullable<DialogueState['collecting']>,
    confirmed = false,
  ): Promise<[string, Reply['action']]> {
    const schema = scene.graph?.inputs;
    const missing = Object.keys(schema?.properties ?? {}).find(
      (name) =>
        schema!.required?.includes(name) &&
        collecting.values[name] === undefined &&
        schema!.properties[name]!.default === undefined,
    );
    if (missing) {
      scene.state.collecting = { ...collecting, asking: missing };
      return [
        askField(missing, schema!.properties[missing]!),
        { type: 'ask-input', workflowId: collecting.workflowId },
      ];
    }
    delete scene.state.collecting;
    if (scene.config.askForConfirmation && !confirmed) {
      const given = Object.entries(collecting.values)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ');
      return this.confirm(
        scene,
        { action: 'start', workflowId: collecting.workflowId, values: collecting.values },
        `Start "${scene.workflow!.name}"${given ? ` with ${given}` : ''}?`,
      );
    }
    const started = await this.executions.start(scene.conversation.workspaceId, collecting.workflowId, {
      input: collecting.values,
      ...(scene.state.mode ? { mode: scene.state.mode } : {}),
    });
    // Bound before waiting for it to settle, so the steps that finish meanwhile reach the chat as progress.
    await this.store.append(scene.conversation.id, [], { workflowId: collecting.workflowId, executionId: started.id });
    this.hooks.onFollow?.(started.id);
    const settled = await this.settle(scene, started.id);
    return [
      `Started "${scene.workflow!.name}". ${describeExecution(settled, scene.graph, scene.workflow!.name)}`,
      { type: 'start', executionId: started.id, workflowId: collecting.workflowId },
    ];
  }

  private async collect(scene: Scene, text: string, u: Understanding): Promise<[string, Reply['action']]> {
    const collecting = scene.state.collecting!;
    const fields = scene.graph?.inputs?.properties ?? {};
    const values = { ...collecting.values, ...this.knownValues(scene.graph, u.values) };
    const field = fields[collecting.asking];
    if (field && values[collecting.asking] === undefined) {
      const value = coerceAnswer(field, text);
      const wrong =
        value === undefined ? `that is not ${expectation(field)}` : checkFieldValue(collecting.asking, field, value);
      if (wrong)
        return [
          `Sorry, ${wrong}. ${askField(collecting.asking, field)}`,
          { type: 'ask-input', workflowId: collecting.workflowId },
        ];
      values[collecting.asking] = value;
    }
    const problems = checkInputValues(scene.graph?.inputs, values).problems.filter((p) => p.code !== 'missing_input');
    if (problems.length > 0) return [`Sorry, ${problems[0]!.message}.`, null];
    return this.continueCollecting(scene, { ...collecting, values });
  }

  private async command(
    scene: Scene,
    command: Command,
    args: { nodeId?: string; values?: Record<string, unknown> },
  ): Promise<[string, Reply['action']]> {
    const execution = scene.execution;
    if (!execution) return ['There is no run in this conversation yet. Say "run <workflow>" to start one.', null];
    if (!scene.may('executions.control')) return [refusal('executions.control'), null];
    try {
      await this.executions.command(scene.conversation.workspaceId, execution.id, command, args);
    } catch (error) {
      if (error instanceof DuetError && (error.code === 'conflict' || error.code === 'invalid_input')) {
        const allowed = allowedCommands({
          status: execution.status,
          waiting: execution.waiting as WaitingInfo | null,
          failedNodes: this.failedNodes(execution),
        });
        const hint =
          error.code === 'conflict'
            ? ` Right now you can: ${commandPhrases(allowed).join(', ') || 'nothing, the run has ended'}.`
            : '';
        return [`I could not do that: ${error.message}.${hint}`, null];
      }
      throw error;
    }
    const settled = await this.settle(scene, execution.id);
    const done: Record<Command, string> = {
      pause: 'Paused.',
      resume: 'Resumed.',
      cancel: 'Cancelled.',
      retry: 'Retrying.',
      skip: 'Skipped.',
      input: 'Thanks, got it.',
      approve: 'Approved.',
      reject: 'Rejected.',
    };
    return [
      `${done[command]} ${describeExecution(settled, scene.graph, scene.workflow?.name ?? 'The run')}`,
      { type: command, executionId: execution.id },
    ];
  }

  /** Waits briefly for the run to reach a person or an end, so the reply can say what happened. */
  private async settle(scene: Scene, executionId: string): Promise<ExecutionView> {
    await this.executions.waitForSettle(executionId, this.limits.settleMs);
    scene.execution = await this.executions.get(scene.conversation.workspaceId, executionId);
    return scene.execution;
  }

  private status(scene: Scene): string {
    if (!scene.execution)
      return scene.workflow
        ? `Nothing is running yet. Say "run it" to start "${scene.workflow.name}".`
        : 'Nothing is running in this conversation.';
    return describeExecution(scene.execution, scene.graph, scene.workflow?.name ?? 'The run');
  }

  private async explainStep(scene: Scene, u: Understanding): Promise<string> {
    const nodeId =
      u.step?.id ?? scene.execution?.currentNodeIds[0] ?? (scene.execution?.waiting as WaitingInfo | null)?.nodeId;
    const node = nodeId ? scene.graph?.nodes.find((n) => n.id === nodeId) : undefined;
    if (!node) return 'Which step? Say "explain <step name>".';
    const run = scene.execution?.steps.filter((s) => s.nodeId === node.id).at(-1);
    const state = run ? ` In this run it is ${run.status}${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}.` : '';
    const names = await this.names(scene.conversation.workspaceId, scene.graph!);
    const what = explainState(mapJourney(scene.graph!, names), node.id) ?? `"${node.name}" is a ${node.type} step.`;
    return `${what}${node.description ? ` ${node.description}` : ''}${state}`;
  }

  private switchMode(scene: Scene, text: string): string {
    const lower = text.toLowerCase();
    const mode = /step/.test(lower)
      ? 'step-by-step'
      : /hybrid|pause point/.test(lower)
        ? 'hybrid'
        : /auto/.test(lower)
          ? 'autonomous'
          : undefined;
    if (!mode) return 'Which mode: autonomous, step by step, or hybrid?';
    scene.state.mode = mode;
    return `OK, the next run goes ${mode === 'step-by-step' ? 'step by step (I pause after each step)' : mode}.`;
  }

  private failedNodes(execution: ExecutionView): string[] {
    const latest = new Map(execution.steps.map((s) => [s.nodeId, s]));
    return [...latest.values()].filter((s) => s.status === 'failed' && s.handle !== 'error').map((s) => s.nodeId);
  }

  private suggestions(scene: Scene): string[] {
    if (scene.state.collecting) return ['cancel'];
    const execution = scene.execution;
    if (!execution) return scene.workflow ? ['run it', 'describe the workflow', 'help'] : ['list workflows', 'help'];
    const allowed = allowedCommands({
      status: execution.status,
      waiting: execution.waiting as WaitingInfo | null,
      failedNodes: this.failedNodes(execution),
    });
    return [...commandPhrases(allowed), 'status'];
  }
}

const refusal = (permission: Permission) =>
  `Your role in this workspace does not let you ${PERMISSION_WORDS[permission]}; a workspace admin can give you a role that does.`;
