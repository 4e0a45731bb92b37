import type { Clock } from '../engine/clock.ts';
import type { ExecutionService } from '../engine/service.ts';
import { DuetError, notFound } from '../model/errors.ts';
import type { WebhookConfig } from '../model/triggers.ts';
import type { SecretStore } from '../store/secrets.ts';
import type { Trigger, TriggerStore } from '../store/triggers.ts';
import type { WorkflowRepository } from '../store/workflows.ts';
import { verifyDelivery, type Headers, type Refusal } from './signatures.ts';
import { startOnce, type Started } from './start-once.ts';
import { bodyKey, webhookInput } from './webhook-input.ts';

export type Webhook = Trigger & { type: 'webhook'; config: WebhookConfig };

/** One request to a webhook, its body already read (raw, for signatures) and decoded. */
export interface Delivery {
  raw: Buffer;
  body: unknown;
  query: Record<string, string | string[]>;
  headers: Headers;
}

/** The longest idempotency key kept; longer ones are refused rather than cut (two keys must not become one). */
const MAX_KEY_LENGTH = 200;

/** Webhook deliveries: find the hook, check who sent it, and start its workflow once per delivery. */
export class WebhookReceiver {
  constructor(
    private readonly deps: {
      store: TriggerStore;
      workflows: WorkflowRepository;
      executions: ExecutionService;
      secrets: SecretStore;
      clock: Clock;
    },
  ) {}

  /** The enabled webhook at `/hooks/<workspaceSlug>/<path>`, or not_found. */
  async find(workspaceSlug: string, path: string): Promise<Webhook> {
    const trigger = await this.deps.store.findByPath(workspaceSlug, 'webhook', path);
    if (!trigger) throw notFound('webhook', `${workspaceSlug}/${path}`);
    return trigger as Webhook;
  }

  /** Why the delivery is refused (bad or missing signature or token, stale timestamp), or null. */
  async verify(hook: Webhook, delivery: Delivery): Promise<Refusal | null> {
    const { auth } = hook.config;
    let secret = '';
    if (auth.scheme !== 'none') {
      const value = (await this.deps.secrets.resolve(hook.workspaceId, [auth.secret])).get(auth.secret);
      if (value === undefined)
        throw new DuetError('unavailable', 'this webhook cannot check deliveries: its secret is not set');
      secret = value;
    }
    return verifyDelivery(auth, secret, delivery.raw, delivery.headers, this.deps.clock.now());
  }

  /**
   * Starts the published version with the delivery's input. A delivery with an `Idempotency-Key` (or a
   * Standard Webhooks `webhook-id`, or the configured body field) starts at most one execution: a retry gets the
   * same one. `sync` hooks wait up to their timeout for the end.
   */
  async start(hook: Webhook, delivery: Delivery): Promise<Started> {
    const { workflows, executions, store } = this.deps;
    const workflow = await workflows.get(hook.workspaceId, hook.workflowId);
    if (workflow.latestVersion === null)
      throw new DuetError('conflict', "this webhook's workflow has no published version yet; publish it first");
    const graph = await workflows.versionGraph(hook.workspaceId, hook.workflowId, workflow.latestVersion);
    const input = webhookInput(graph.inputs, delivery, hook.config.headerFields);
    const waitMs = hook.config.respond === 'sync' ? hook.config.syncTimeoutMs : 0;
    const key = this.keyOf(hook, delivery);
    if (key === undefined) {
      const started = await executions.startAndWait(hook.workspaceId, hook.workflowId, { input }, waitMs);
      return { ...started, replayed: false };
    }
    return startOnce({ store, executions }, hook, `delivery:${key}`, input, waitMs);
  }

  private keyOf(hook: Webhook, delivery: Delivery): string | undefined {
    const first = (name: string) => {
      const value = delivery.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const field = hook.config.idempotencyField;
    const key =
      first('idempotency-key') ??
      (hook.config.auth.scheme === 'standard' ? first('webhook-id') : undefined) ??
      (field ? bodyKey(delivery.body, field) : undefined);
    if (key !== undefined && (key.length === 0 || key.length > MAX_KEY_LENGTH))
      throw new DuetError('validation_failed', `an idempotency key is 1-${MAX_KEY_LENGTH} characters`);
    return key;
  }
}
