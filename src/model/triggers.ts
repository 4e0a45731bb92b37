import { z } from 'zod';
import { CATCH_UP_POLICIES, cronProblem, timeZoneProblem } from './cron.ts';
import { formatPath, type Problem } from './problem.ts';
import { secretNameSchema } from './secrets.ts';

/**
 * Triggers start a workflow's published version from outside: a webhook, a schedule, a chat page. The config of
 * each type is one branch of a zod discriminated union; the API, the store and the web form share it. Pure.
 */
export const TRIGGER_TYPES = ['webhook', 'schedule', 'chat'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** The public address part of a webhook (`/hooks/<workspace>/<path>`) or a chat page (`/c/<workspace>/<slug>`). */
export const TRIGGER_PATH = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const pathSchema = z
  .string()
  .regex(TRIGGER_PATH, 'use 1-63 lower-case letters, digits, - or _, starting with a letter or digit');

/** How long a signed webhook's timestamp may lie from the server's clock, by default (replay window). */
export const DEFAULT_TOLERANCE_SECONDS = 300;
const toleranceSeconds = z.number().int().min(10).max(3600).default(DEFAULT_TOLERANCE_SECONDS);

/** Who may call a webhook: anyone, a sender that signs (Duet's scheme or Standard Webhooks) or knows a token. */
export const webhookAuthSchema = z.discriminatedUnion('scheme', [
  z.strictObject({ scheme: z.literal('none') }),
  /** `X-Duet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
  z.strictObject({ scheme: z.literal('hmac'), secret: secretNameSchema, toleranceSeconds }),
  /** standardwebhooks.com: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` over id.ts.body. */
  z.strictObject({ scheme: z.literal('standard'), secret: secretNameSchema, toleranceSeconds }),
  /** `Authorization: Bearer <token>` or `X-Duet-Token: <token>`. */
  z.strictObject({ scheme: z.literal('token'), secret: secretNameSchema }),
]);
export type WebhookAuth = z.infer<typeof webhookAuthSchema>;

/** A dotted path into the JSON body, e.g. `id` or `event.id`. */
const bodyPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,7}$/, 'a dotted path into the body, e.g. event.id');

export const webhookConfigSchema = z.strictObject({
  path: pathSchema,
  /** GET deliveries (query string only) are refused unless allowed. */
  allowGet: z.boolean().default(false),
  auth: webhookAuthSchema.default({ scheme: 'none' }),
  /** A body field that identifies a delivery when the sender sends no `Idempotency-Key` header. */
  idempotencyField: bodyPath.optional(),
  /** Input fields filled from request headers: `{ "event": "x-github-event" }`. */
  headerFields: z
    .record(z.string().min(1).max(100), z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'a header name'))
    .refine((value) => Object.keys(value).length <= 20, 'at most 20 header fields')
    .default({}),
  /** `async`: 202 with the execution id at once; `sync`: the response block's output (or 202 after the timeout). */
  respond: z.enum(['async', 'sync']).default('async'),
  syncTimeoutMs: z.number().int().min(100).max(30_000).default(10_000),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).default(600),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** The most missed fires `all` starts after a downtime (the latest ones). */
export const MAX_CATCH_UP = 100;

export const scheduleConfigSchema = z
  .strictObject({
    cron: z.string().min(1).max(200),
    timezone: z.string().min(1).max(100).default('UTC'),
    /** Fires missed while no process ran: none, the latest one, or each of them (the latest `maxCatchUp`). */
    catchUp: z.enum(CATCH_UP_POLICIES).default('skip'),
    maxCatchUp: z.number().int().min(1).max(MAX_CATCH_UP).default(10),
    /** The input each fire starts the workflow with. */
    input: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((config, ctx) => {
    const zone = timeZoneProblem(config.timezone);
    if (zone) ctx.addIssue({ code: 'custom', path: ['timezone'], message: zone });
    const cron = cronProblem(config.cron, zone ? 'UTC' : config.timezone);
    if (cron) ctx.addIssue({ code: 'custom', path: ['cron'], message: cron });
  });
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;

export const chatConfigSchema = z.strictObject({
  slug: pathSchema,
  /** A workspace secret holding the page's password; no password when absent. */
  passwordSecret: secretNameSchema.optional(),
  /** Origins whose pages may embed the widget; none means the chat page only. */
  allowedOrigins: z.array(z.url().max(200)).max(20).default([]),
});
export type ChatConfig = z.infer<typeof chatConfigSchema>;

const typed = <T extends TriggerType, C extends z.ZodType>(type: T, config: C) =>
  z.strictObject({ type: z.literal(type), enabled: z.boolean().default(true), config });

/** The body of `POST /api/v1/workflows/:id/triggers`. */
export const newTriggerSchema = z.discriminatedUnion('type', [
  typed('webhook', webhookConfigSchema),
  typed('schedule', scheduleConfigSchema),
  typed('chat', chatConfigSchema),
]);
export type NewTrigger = z.infer<typeof newTriggerSchema>;
export type TriggerConfig = NewTrigger['config'];

/** The body of `PATCH /api/v1/triggers/:id`: pause/resume and/or a whole new config of the same type. */
export const triggerPatchSchema = z
  .strictObject({ enabled: z.boolean().optional(), config: z.record(z.string(), z.unknown()).optional() })
  .refine((patch) => patch.enabled !== undefined || patch.config !== undefined, 'send enabled and/or config');
export type TriggerPatch = z.infer<typeof triggerPatchSchema>;

/** A trigger as the API shows it; `nextRuns` (ISO times) for schedules, `url` (path) for webhooks and chat. */
export interface TriggerView {
  id: string;
  workflowId: string;
  type: TriggerType;
  enabled: boolean;
  config: TriggerConfig;
  url?: string;
  nextRuns?: string[];
  createdAt: string;
  updatedAt: string;
}

/** The public address part a trigger claims in its workspace, if any. */
export function triggerPath(trigger: NewTrigger): string | null {
  if (trigger.type === 'webhook') return trigger.config.path;
  if (trigger.type === 'chat') return trigger.config.slug;
  return null;
}

/** Zod issues as problems with the field they concern: `config.cron: …`. */
export function triggerProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return { code: 'invalid_trigger', path, message: path ? `${path}: ${issue.message}` : issue.message };
  });
}
