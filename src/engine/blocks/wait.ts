import { configOf } from './config.ts';
import { StepError, type BlockRunner } from './types.ts';

/** Sleeps durably: the wake-up time is stored, so a restart neither loses nor repeats the wait. */
export const runWaitBlock: BlockRunner = async (ctx) => {
  const config = configOf(ctx, 'wait');
  let until: Date;
  if ('durationMs' in config) {
    until = new Date(ctx.services.clock.now() + config.durationMs);
  } else {
    const rendered = await ctx.render(config.until);
    until = new Date(rendered as string);
    if (typeof rendered !== 'string' || Number.isNaN(until.getTime())) {
      throw new StepError(
        `wait "until" must be an ISO date-time such as 2030-01-31T09:00:00Z; got ${JSON.stringify(rendered)}`,
        'invalid_until',
        false,
      );
    }
  }
  return { kind: 'waiting', reason: 'time', until: until.toISOString() };
};
