import { BLOCK_TYPES, type BlockType } from '../../../src/model/blocks.ts';

export interface BlockInfo {
  label: string;
  icon: string;
  color: string;
  description: string;
  defaultConfig: Record<string, unknown>;
}

/** What the palette shows for each block type, and the config a new block starts with (valid where it can be). */
export const BLOCK_CATALOG: Record<BlockType, BlockInfo> = {
  start: { label: 'Start', icon: '▶', color: '#16a34a', description: 'Where every run begins', defaultConfig: {} },
  function: {
    label: 'Function',
    icon: 'ƒ',
    color: '#6d5dfc',
    description: 'Run JavaScript in a sandbox',
    defaultConfig: { code: 'return { ok: true };' },
  },
  http: {
    label: 'HTTP request',
    icon: '⇄',
    color: '#0ea5e9',
    description: 'Call an API',
    defaultConfig: { method: 'GET', url: 'https://example.com' },
  },
  condition: {
    label: 'Condition',
    icon: '◇',
    color: '#f59e0b',
    description: 'Branch on true / false',
    defaultConfig: { expression: 'true' },
  },
  router: {
    label: 'Router',
    icon: '⇉',
    color: '#f97316',
    description: 'Pick one of several routes',
    defaultConfig: { routes: [{ name: 'a', expression: 'true' }] },
  },
  agent: {
    label: 'Agent',
    icon: '✦',
    color: '#db2777',
    description: 'Ask an LLM',
    defaultConfig: { prompt: 'Summarise {{input}}' },
  },
  input: {
    label: 'Ask for input',
    icon: '✎',
    color: '#0d9488',
    description: 'A person fills in a form',
    defaultConfig: {
      prompt: 'Please fill in',
      schema: { type: 'object', required: ['answer'], properties: { answer: { type: 'string' } } },
    },
  },
  approval: {
    label: 'Approval',
    icon: '✓',
    color: '#059669',
    description: 'A person approves or rejects',
    defaultConfig: { prompt: 'Approve?' },
  },
  wait: {
    label: 'Wait',
    icon: '◴',
    color: '#64748b',
    description: 'Pause for a while',
    defaultConfig: { durationMs: 1000 },
  },
  loop: {
    label: 'Loop',
    icon: '↻',
    color: '#7c3aed',
    description: 'Run children for each item',
    defaultConfig: { items: 'input.items' },
  },
  parallel: {
    label: 'Parallel',
    icon: '∥',
    color: '#7c3aed',
    description: 'Run children side by side',
    defaultConfig: {},
  },
  subworkflow: {
    label: 'Subworkflow',
    icon: '❐',
    color: '#475569',
    description: 'Run another workflow',
    defaultConfig: { workflowId: '' },
  },
  response: {
    label: 'Response',
    icon: '⏎',
    color: '#2563eb',
    description: "The run's result",
    defaultConfig: { output: { done: true } },
  },
};

export const PALETTE_ORDER: readonly BlockType[] = BLOCK_TYPES;

export function isBlockType(value: string): value is BlockType {
  return (BLOCK_TYPES as readonly string[]).includes(value);
}
