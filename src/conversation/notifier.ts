import type { EventBus } from '../engine/event-bus.ts';
import type { WorkflowGraph } from '../model/graph.ts';
import type { ConversationStore } from '../store/conversations.ts';
import type { StoredEvent } from '../model/events.ts';
import { conversationConfigSchema } from './config.ts';
import { progressLine } from './progress.ts';

export interface PushedTurn {
  conversationId: string;
  role: 'assistant';
  text: string;
  intent: 'progress';
}

/**
 * Pushes progress into the conversations that follow an execution: each line is stored as a turn
 * (so history and a reconnecting client see it) and then handed to `deliver` (the sockets).
 */
export class ProgressNotifier {
  /** Which conversations follow an execution; filled on first event, refreshed when a chat binds one. */
  private readonly followers = new Map<string, Promise<string[]>>();
  private readonly stop: () => void;
  /** The last line being pushed per execution: one commit can announce several events, whose lines keep their order. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ConversationStore,
    bus: EventBus,
    private readonly graphOf: (executionId: string) => Promise<WorkflowGraph | null>,
    private readonly deliver: (turn: PushedTurn) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    // Only events committed here: in queue mode every process hears every event, and a line must be stored once.
    this.stop = bus.subscribeLocal((event) => this.inOrder(event));
  }

  /** A conversation now follows this execution (it just started or was bound to it). */
  follow(executionId: string): void {
    this.followers.delete(executionId);
  }

  close(): void {
    this.stop();
  }

  private inOrder(event: StoredEvent): void {
    const tail = (this.tails.get(event.executionId) ?? Promise.resolve())
      .then(() => this.push(event))
      .catch(this.onError);
    this.tails.set(event.executionId, tail);
    void tail.then(() => {
      if (this.tails.get(event.executionId) === tail) this.tails.delete(event.executionId);
    });
  }

  private async push(event: StoredEvent): Promise<void> {
    if (!/^(step\.(completed|failed)|execution\.(completed|failed|timed_out))$/.test(event.type)) return;
    let ids = this.followers.get(event.executionId);
    if (!ids) {
      ids = this.store.following(event.executionId).then((rows) => rows.map((r) => r.id));
      this.followers.set(event.executionId, ids);
    }
    const conversationIds = await ids;
    if (conversationIds.length === 0) return;
    const graph = event.nodeId ? await this.graphOf(event.executionId) : null;
    const node = graph?.nodes.find((n) => n.id === event.nodeId);
    for (const id of conversationIds) {
      const conversation = await this.store.find(id);
      // A conversation that has moved on to a newer run no longer hears about this one.
      if (!conversation || conversation.executionId !== event.executionId) continue;
      const line = progressLine(
        event,
        conversationConfigSchema.parse(conversation.config),
        node ? { name: node.name, type: node.type } : null,
      );
      if (!line) continue;
      await this.store.append(id, [{ role: 'assistant', text: line, intent: 'progress' }], {});
      this.deliver({ conversationId: id, role: 'assistant', text: line, intent: 'progress' });
    }
    if (event.type.startsWith('execution.')) this.followers.delete(event.executionId);
  }
}
