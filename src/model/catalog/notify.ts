import { z } from 'zod';
import { phoneSchema } from '../phone.ts';
import { defineBlock } from './descriptor.ts';
import { common, template } from './fields.ts';

const hasTemplate = (value: string) => value.includes('{{');

export const notifyBlock = defineBlock({
  label: 'Notify',
  description: 'Send an SMS, call a webhook or post into a chat',
  icon: 'bell',
  configSchema: z
    .strictObject({
      ...common,
      channel: z.enum(['sms', 'webhook', 'chat'], 'channel is one of sms, webhook or chat'),
      to: template.min(1, 'to is required: a phone number for sms, a URL for webhook, a conversation id for chat'),
      text: template.min(1, 'text is required: the message to send'),
    })
    // A written-out address is checked now; a {{template}} only once it is rendered, when the step runs.
    .superRefine((config, ctx) => {
      if (hasTemplate(config.to)) return;
      if (config.channel === 'sms' && !phoneSchema.safeParse(config.to).success)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: 'to must be a phone number in E.164 form, such as +15005550006 (or a {{template}})',
        });
      if (config.channel === 'webhook' && !/^https?:\/\/\S+$/.test(config.to))
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be an http(s) URL (or a {{template}})' });
    }),
  defaultConfig: { channel: 'sms', to: '{{input.phone}}', text: 'Hello from Duet' },
  outputs: [null],
  effects: 'external',
  journeyKind: 'tool',
});
