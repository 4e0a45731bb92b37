import { z } from 'zod';
import { defineBlock } from './descriptor.ts';
import { common, template } from './fields.ts';

export const agentBlock = defineBlock({
  label: 'Agent',
  description: 'Ask an LLM',
  icon: 'sparkle',
  configSchema: z.strictObject({
    ...common,
    prompt: template.min(1, 'prompt is required'),
    system: template.optional(),
    model: z.string().max(200).optional(),
    /** The workspace's own provider key instead of the instance's, e.g. `{{secrets.OPENAI_KEY}}`. */
    apiKey: template
      .regex(
        /\{\{[\s\S]*\}\}/,
        'apiKey must be a template such as "{{secrets.OPENAI_KEY}}": a key written into the workflow would be readable by everyone who can read the workflow',
      )
      .optional(),
    output: z.enum(['text', 'json']).default('text'),
    tools: z
      .array(
        z.strictObject({
          workflowId: z.string().min(1).max(200),
          name: z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,64}$/)
            .optional(),
          description: z.string().max(1000).optional(),
        }),
      )
      .max(20)
      .optional(),
    /** A knowledge base the model may search as a tool (`search_knowledge`); answers cite what it found. */
    knowledgeBaseId: z.string().min(1).max(200).optional(),
  }),
  defaultConfig: { prompt: 'Summarise {{input}}' },
  outputs: [null],
  effects: 'external',
  journeyKind: 'tool',
});
