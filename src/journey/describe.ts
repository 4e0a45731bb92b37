import { BLOCK_CATALOG, blockConfigSchemas, type BlockConfig, type BlockType } from '../model/blocks.ts';
import type { InputSchema } from '../model/input-schema.ts';
import type { WorkflowNode } from '../model/graph.ts';
import type { JourneyField, JourneyState } from './types.ts';
import { expressionText, formatDuration, humanize, truncate } from './wording.ts';

const AGENT_PROMPT_CHARS = 80;

export type StateText = Pick<JourneyState, 'description' | 'prompt' | 'fields'>;

/** Names of things a graph refers to by id, when the caller knows them: "Looks up Handbook" reads better than an id. */
export interface JourneyNames {
  knowledgeBases?: Readonly<Record<string, string>>;
}

/** The fields of an input schema, in schema order, as the chat will ask for them. */
export function describeFields(schema: InputSchema): JourneyField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, field]) => {
    const options = field.type === 'array' ? field.items?.enum : field.enum;
    return {
      name,
      type: field.type,
      description: field.description ?? field.title ?? humanize(name),
      required: required.has(name),
      ...(options ? { enum: options } : {}),
    };
  });
}

const fieldList = (fields: JourneyField[]) => fields.map((f) => f.description).join(', ');

type Describer<T extends BlockType> = (
  config: BlockConfig<T>,
  inputs: InputSchema | undefined,
  names: JourneyNames,
) => StateText;

/** Sentences that read the config; a block without one is described by its catalog description. */
const describers: { [T in BlockType]?: Describer<T> } = {
  start: (_config, inputs) => {
    const fields = inputs ? describeFields(inputs) : [];
    return fields.length > 0
      ? { description: `Starts the workflow with: ${fieldList(fields)}`, fields }
      : { description: 'Starts the workflow' };
  },
  input: ({ prompt, schema }) => {
    const fields = describeFields(schema);
    return { description: `Asks for: ${fieldList(fields)}`, prompt, fields };
  },
  approval: ({ prompt }) => ({ description: `Asks for approval: ${prompt}`, prompt }),
  agent: ({ prompt }) => ({ description: `Asks the AI: ${truncate(prompt, AGENT_PROMPT_CHARS)}`, prompt }),
  knowledge: ({ knowledgeBaseId, query }, _inputs, names) => ({
    description: `Looks up ${names.knowledgeBases?.[knowledgeBaseId] ?? knowledgeBaseId} for ${expressionText(truncate(query, AGENT_PROMPT_CHARS))}`,
  }),
  http: ({ method, url }) => ({ description: `Calls ${method} ${url}` }),
  function: () => ({ description: 'Runs a JavaScript function' }),
  condition: ({ expression }) => ({ description: `Decides: ${expressionText(expression)}` }),
  router: (config) => ({
    description: `Chooses a route: ${[...config.routes.map((r) => r.name), config.default ?? 'default'].join(', ')}`,
  }),
  wait: (config) => ({
    description: 'until' in config ? `Waits until ${config.until}` : `Waits ${formatDuration(config.durationMs)}`,
  }),
  loop: ({ items }) => ({ description: `For each item of ${expressionText(items)}` }),
  parallel: () => ({ description: 'Runs branches in parallel' }),
  subworkflow: ({ workflowId, version }) => ({
    description: `Runs workflow ${workflowId}${version === undefined ? '' : ` (version ${version})`}`,
  }),
  notify: ({ channel, to }) => ({
    description: `Notifies ${to} ${{ sms: 'by SMS', webhook: 'by calling the webhook', chat: 'in the chat' }[channel]}`,
  }),
  response: () => ({ description: 'Replies with the result' }),
};

/**
 * What a step does, in one sentence, from its config. A config that does not parse (an unsaved,
 * invalid draft) still gets a sentence so that the state is never dropped.
 */
export function describeNode(node: WorkflowNode, inputs: InputSchema | undefined, names: JourneyNames = {}): StateText {
  const parsed = blockConfigSchemas[node.type].safeParse(node.config ?? {});
  if (!parsed.success) return { description: `${node.name} (a ${node.type} step whose configuration is incomplete)` };
  const describer = describers[node.type] as Describer<BlockType> | undefined;
  return describer
    ? describer(parsed.data as never, inputs, names)
    : { description: BLOCK_CATALOG[node.type].description };
}
