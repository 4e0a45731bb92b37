import { phoneSchema } from '../../model/tasks.ts';
import { configOf } from './config.ts';
import { StepError, type BlockRunner } from './types.ts';

/** Answers one message to the personal assistant: adds, lists, completes or snoozes the speaker's tasks. */
export const runAssistantBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'assistant');
  const assistant = ctx.services.assistant;
  if (!assistant) throw new StepError('the assistant is not available in this process', 'unavailable', false);
  const message = String((await ctx.render(config.message)) ?? '').trim();
  const from = String((await ctx.render(config.from)) ?? '').trim();
  if (from !== '' && !phoneSchema.safeParse(from).success)
    throw new StepError(
      `from "${from}" is not a phone number in E.164 form such as +15551234567`,
      'invalid_input',
      false,
    );
  const turn = await assistant.reply(
    ctx.workspaceId,
    { phone: from === '' ? null : from, timeZone: config.timeZone },
    message,
    new Date(ctx.services.clock.now()),
    config.knowledgeBaseId ?? null,
  );
  return { kind: 'completed', output: turn };
};
