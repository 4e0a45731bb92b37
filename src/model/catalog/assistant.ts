import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, template } from './fields.ts';

export const assistantBlock = defineBlock({
  label: 'Assistant',
  description: 'Keeps tasks and reminders from plain language',
  icon: 'assistant',
  configSchema: z.strictObject({
    ...common,
    /** What the person said ("remind me to call the bank tomorrow at 9"). */
    message: template.min(1, 'message is required, e.g. {{input.message}}'),
    /** Their phone number (E.164): tasks and reminders belong to it; empty on the chat page. */
    from: template.default(''),
    /** IANA time zone for people the assistant does not know yet (a known number keeps its own). */
    timeZone: z.string().max(64).default('UTC'),
    /** When set, a message about no task is answered from this knowledge base, with its sources. */
    knowledgeBaseId: z.string().min(1).max(200).optional(),
  }),
  defaultConfig: { message: '{{input.message}}', from: '{{input.from}}', timeZone: 'UTC' },
  outputs: [null],
  effects: 'external',
  journeyKind: 'tool',
});
