import { z } from 'zod';
import { inputSchemaSchema } from './input-schema.ts';

/** Every block type Duet runs. `knowledge` and `sms` come later. */
export const BLOCK_TYPES = [
  'start',
  'function',
  'http',
  'condition',
  'router',
  'agent',
  'input',
  'approval',
  'wait',
  'loop',
  'parallel',
  'subworkflow',
  'response',
] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/** Containers hold child nodes (`parentId`) that run once per item or branch. */
export const CONTAINER_TYPES: ReadonlySet<BlockType> = new Set(['loop', 'parallel']);

export const retrySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20),
  backoff: z.enum(['fixed', 'linear', 'exponential']).default('exponential'),
  delayMs: z.number().int().min(0).max(3_600_000).default(1000),
});

const MAX_STEP_TIMEOUT_MS = 24 * 3_600_000;

/** Fields every block may carry besides its own. */
const common = {
  retry: retrySchema.optional(),
  timeoutMs: z.number().int().min(1).max(MAX_STEP_TIMEOUT_MS).optional(),
};

const template = z.string().max(100_000);
/** Any JSON value whose strings may hold `{{ … }}` templates. */
const templated = z.unknown();
const expression = z.string().min(1, 'an expression is required').max(10_000);
const handleName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'handle names are 1-64 letters, digits, _ or -');

export const blockConfigSchemas = {
  start: z.strictObject({ ...common }),
  function: z.strictObject({ ...common, code: z.string().min(1, 'code is required').max(100_000) }),
  http: z.strictObject({
    ...common,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    url: template.min(1, 'url is required'),
    headers: z.record(z.string(), template).optional(),
    query: z.record(z.string(), template).optional(),
    body: templated.optional(),
  }),
  condition: z.strictObject({ ...common, expression }),
  router: z.strictObject({
    ...common,
    routes: z
      .array(z.strictObject({ name: handleName, expression }))
      .min(1, 'a router needs at least one route')
      .max(50),
    default: handleName.optional(),
  }),
  agent: z.strictObject({
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
  }),
  input: z.strictObject({ ...common, prompt: template.min(1, 'prompt is required'), schema: inputSchemaSchema }),
  approval: z.strictObject({ ...common, prompt: template.min(1, 'prompt is required') }),
  wait: z.union(
    [
      z.strictObject({
        ...common,
        durationMs: z
          .number()
          .int()
          .min(0)
          .max(366 * 24 * 3_600_000),
      }),
      z.strictObject({ ...common, until: template.min(1) }),
    ],
    { error: 'a wait needs either durationMs (a number of milliseconds) or until (an ISO time or template)' },
  ),
  loop: z.strictObject({
    ...common,
    items: expression,
    concurrency: z.number().int().min(1).max(100).default(1),
    maxIterations: z.number().int().min(1).max(100_000).default(1000),
  }),
  parallel: z.strictObject({ ...common }),
  subworkflow: z.strictObject({
    ...common,
    workflowId: z.string().min(1, 'workflowId is required').max(200),
    version: z.number().int().min(1).optional(),
    input: templated.optional(),
  }),
  response: z.strictObject({ ...common, output: templated }),
} satisfies Record<BlockType, z.ZodType>;

export type BlockConfig<T extends BlockType> = z.infer<(typeof blockConfigSchemas)[T]>;

/**
 * The named outputs a block offers to edges. `null` is the plain "next" output; every block
 * also has `error`, taken when a step finally fails.
 */
export function outputHandles(type: BlockType, config: unknown): Array<string | null> {
  switch (type) {
    case 'condition':
      return ['true', 'false', 'error'];
    case 'approval':
      return ['approved', 'rejected', 'error'];
    case 'router': {
      const parsed = blockConfigSchemas.router.safeParse(config);
      if (!parsed.success) return ['error'];
      return [...parsed.data.routes.map((r) => r.name), parsed.data.default ?? 'default', 'error'];
    }
    case 'response':
      return ['error'];
    default:
      return [null, 'error'];
  }
}

/** A valid starting config for a block added from a palette or a chat, ready to be filled in. */
export function defaultBlockConfig(type: BlockType): Record<string, unknown> {
  switch (type) {
    case 'function':
      return { code: 'return input;' };
    case 'http':
      return { method: 'GET', url: 'https://example.com' };
    case 'condition':
      return { expression: 'true' };
    case 'router':
      return { routes: [{ name: 'first', expression: 'true' }] };
    case 'agent':
      return { prompt: 'Summarise {{input}}' };
    case 'input':
      return {
        prompt: 'Please provide a value',
        schema: { type: 'object', properties: { value: { type: 'string' } }, required: ['value'] },
      };
    case 'approval':
      return { prompt: 'Approve this step?' };
    case 'wait':
      return { durationMs: 60_000 };
    case 'loop':
      return { items: 'input.items' };
    case 'subworkflow':
      return { workflowId: 'choose-a-workflow' };
    case 'response':
      return { output: '{{steps}}' };
    default:
      return {};
  }
}
