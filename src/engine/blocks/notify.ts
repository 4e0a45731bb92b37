import { blockConfigSchemas } from '../../model/blocks.ts';
import { DuetError } from '../../model/errors.ts';
import { phoneSchema } from '../../model/phone.ts';
import { formatPath } from '../../model/problem.ts';
import { readResponse } from './http-response.ts';
import { parseUrl, toStepError } from './http.ts';
import { StepError, type BlockRunner, type NotifyChannels, type StepContext } from './types.ts';

const WEBHOOK_TIMEOUT_MS = 30_000;

/**
 * Sends a message out: an SMS through the channel's outbox, a JSON POST to a webhook (through the guarded fetch),
 * or an assistant turn into a conversation. Every send carries execution:node:attempt, so the same attempt run
 * again after a crash is recognised (the outbox queues it once; a webhook gets the same Idempotency-Key).
 */
export const runNotifyBlock: BlockRunner = async (ctx) => {
  const parsed = blockConfigSchemas.notify.safeParse(ctx.config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${formatPath(i.path)}: ${i.message}` : i.message));
    throw new StepError(`invalid notify config: ${issues.join('; ')}`, 'invalid_config', false);
  }
  const { channel } = parsed.data;
  const to = asText(await ctx.render(parsed.data.to)).trim();
  const text = asText(await ctx.render(parsed.data.text));
  if (text.trim() === '') throw new StepError('the text to send is empty once rendered', 'invalid_config', false);
  const key = `${ctx.executionId}:${ctx.node.id}:${ctx.attempt}`;
  if (channel === 'webhook') return { kind: 'completed', output: await callWebhook(ctx, to, text, key) };
  const channels = ctx.services.notify;
  if (!channels) throw new StepError(`the ${channel} channel is not available in this process`, 'unavailable', false);
  if (channel === 'sms') return { kind: 'completed', output: await sendSms(channels, ctx, to, text, key) };
  await refusalsAsStepErrors(() => channels.chat(ctx.workspaceId, to, text));
  return { kind: 'completed', output: { channel, to, text } };
};

async function sendSms(channels: NotifyChannels, ctx: StepContext, to: string, text: string, key: string) {
  if (!phoneSchema.safeParse(to).success)
    throw new StepError(`"${to}" is not a phone number in E.164 form (+15005550006)`, 'invalid_config', false);
  const messages = await refusalsAsStepErrors(() => channels.sms(ctx.workspaceId, to, text, key));
  return { channel: 'sms', to, messages };
}

async function callWebhook(ctx: StepContext, to: string, text: string, key: string) {
  const url = parseUrl(to);
  const label = `POST ${url.origin}${url.pathname}`;
  const timeout = AbortSignal.timeout(WEBHOOK_TIMEOUT_MS);
  try {
    const response = await ctx.services.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Duet', 'idempotency-key': key },
      body: JSON.stringify({ text, executionId: ctx.executionId, nodeId: ctx.node.id }),
      signal: AbortSignal.any([ctx.signal, timeout]),
    });
    const output = await readResponse(response, label);
    if (output.status >= 400) {
      const retryable = output.status >= 500 || output.status === 408 || output.status === 429;
      throw new StepError(`${label} answered ${output.status}`, `http_${output.status}`, retryable, output);
    }
    return { channel: 'webhook', to: `${url.origin}${url.pathname}`, status: output.status };
  } catch (error) {
    throw toStepError(error, ctx.signal, timeout, label, WEBHOOK_TIMEOUT_MS);
  }
}

/** A refusal the channel explains (opted out, unknown conversation, not configured) fails the step for good. */
async function refusalsAsStepErrors<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof DuetError && error.status < 500) throw new StepError(error.message, error.code, false);
    if (error instanceof DuetError) throw new StepError(error.message, error.code, error.code !== 'unavailable');
    throw error;
  }
}

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));
