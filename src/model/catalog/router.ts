import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, expression, handleName } from './fields.ts';

export const routerBlock = defineBlock({
  label: 'Router',
  description: 'Pick one of several routes',
  icon: 'fork',
  configSchema: z.strictObject({
    ...common,
    routes: z
      .array(z.strictObject({ name: handleName, expression }))
      .min(1, 'a router needs at least one route')
      .max(50),
    default: handleName.optional(),
  }),
  defaultConfig: { routes: [{ name: 'a', expression: 'true' }] },
  outputs: { fromConfig: (config) => [...config.routes.map((r) => r.name), config.default ?? 'default'] },
  effects: 'none',
  journeyKind: 'fork',
});
