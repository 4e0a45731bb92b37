import type { Clock } from '../engine/clock.ts';
import { nowDate } from '../engine/clock.ts';
import { nextFire, nextFires } from '../model/cron.ts';
import { DuetError } from '../model/errors.ts';
import { triggerPatchSchema, type NewTrigger, type TriggerView } from '../model/triggers.ts';
import { parseTrigger, type Trigger, type TriggerStore } from '../store/triggers.ts';
import type { WorkflowRepository } from '../store/workflows.ts';

/** How many upcoming fire times a schedule shows. */
export const NEXT_RUNS = 5;

/** Managing triggers through the API: checked configs, webhook and chat addresses, a schedule's next fire times. */
export class TriggerService {
  constructor(
    private readonly store: TriggerStore,
    private readonly workflows: WorkflowRepository,
    private readonly clock: Clock,
  ) {}

  async list(workspaceId: string, workflowRef: string): Promise<TriggerView[]> {
    const workflow = await this.workflows.get(workspaceId, workflowRef);
    const slug = await this.store.workspaceSlug(workspaceId);
    return (await this.store.list(workspaceId, workflow.id)).map((t) => this.view(t, slug));
  }

  async get(workspaceId: string, id: string): Promise<TriggerView> {
    return this.view(await this.store.get(workspaceId, id), await this.store.workspaceSlug(workspaceId));
  }

  async create(workspaceId: string, workflowRef: string, body: unknown, createdBy?: string): Promise<TriggerView> {
    const workflow = await this.workflows.get(workspaceId, workflowRef);
    const trigger = parseTrigger(body);
    const created = await this.store.create(workspaceId, workflow.id, trigger, this.firstFire(trigger), createdBy);
    return this.view(created, await this.store.workspaceSlug(workspaceId));
  }

  /** Pause/resume (`enabled`) and/or replace the config; a resumed schedule fires from now on, not what it missed. */
  async update(workspaceId: string, id: string, body: unknown): Promise<TriggerView> {
    const patch = triggerPatchSchema.safeParse(body);
    if (!patch.success) throw new DuetError('validation_failed', patch.error.issues.map((i) => i.message).join('; '));
    const current = await this.store.get(workspaceId, id);
    const next = parseTrigger({
      type: current.type,
      enabled: patch.data.enabled ?? current.enabled,
      config: patch.data.config ?? current.config,
    });
    const restart = patch.data.config !== undefined || (next.enabled && !current.enabled);
    const nextFireAt = restart ? this.firstFire(next) : current.nextFireAt;
    const updated = await this.store.update(workspaceId, id, next, nextFireAt);
    return this.view(updated, await this.store.workspaceSlug(workspaceId));
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    await this.store.remove(workspaceId, id);
  }

  private firstFire(trigger: NewTrigger): Date | null {
    if (trigger.type !== 'schedule') return null;
    return nextFire(trigger.config.cron, trigger.config.timezone, nowDate(this.clock));
  }

  private view(trigger: Trigger, workspaceSlug: string): TriggerView {
    const base = {
      id: trigger.id,
      workflowId: trigger.workflowId,
      type: trigger.type,
      enabled: trigger.enabled,
      config: trigger.config,
      createdAt: trigger.createdAt.toISOString(),
      updatedAt: trigger.updatedAt.toISOString(),
    };
    if (trigger.type === 'webhook') return { ...base, url: `/hooks/${workspaceSlug}/${trigger.config.path}` };
    if (trigger.type === 'chat') return { ...base, url: `/c/${workspaceSlug}/${trigger.config.slug}` };
    const { cron, timezone } = trigger.config;
    const nextRuns = trigger.enabled ? nextFires(cron, timezone, nowDate(this.clock), NEXT_RUNS) : [];
    return { ...base, nextRuns: nextRuns.map((d) => d.toISOString()) };
  }
}
