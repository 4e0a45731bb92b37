import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, template, templated } from './fields.ts';

export const httpBlock = defineBlock({
  label: 'HTTP request',
  description: 'Call an API',
  icon: 'exchange',
  configSchema: z.strictObject({
    ...common,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    url: template.min(1, 'url is required'),
    headers: z.record(z.string(), template).optional(),
    query: z.record(z.string(), template).optional(),
    body: templated.optional(),
  }),
  defaultConfig: { method: 'GET', url: 'https://example.com' },
  outputs: [null],
  effects: 'external',
  journeyKind: 'tool',
});
