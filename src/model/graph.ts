import { z } from 'zod';
import { BLOCK_TYPES } from './blocks.ts';
import { inputSchemaSchema } from './input-schema.ts';

/**
 * Absolute ceilings of the document's shape; the configured MAX_WORKFLOW_NODES / MAX_WORKFLOW_EDGES (checked first,
 * by `graph/size`) are what a server actually allows.
 */
export const MAX_NODES = 100_000;
export const MAX_EDGES = 250_000;

export const nodeIdSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    'node ids are 1-64 letters, digits or _ and start with a letter or _ (templates use them as steps.<id>)',
  );

export const executionModeSchema = z.enum(['autonomous', 'step-by-step', 'hybrid']);
export type ExecutionMode = z.infer<typeof executionModeSchema>;

/** A node's shape; its `config` is checked against its type by `graph/validate`. */
export const nodeSchema = z.strictObject({
  id: nodeIdSchema,
  type: z.enum(BLOCK_TYPES, { error: `type must be one of: ${BLOCK_TYPES.join(', ')}` }),
  name: z.string().min(1, 'name is required').max(200),
  description: z.string().max(2000).optional(),
  position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
  parentId: nodeIdSchema.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

export const edgeSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'edge ids are 1-128 letters, digits, _ . : or -'),
  source: z.string().max(64),
  target: z.string().max(64),
  sourceHandle: z.string().max(64).optional(),
  targetHandle: z.string().max(64).optional(),
  label: z.string().max(200).optional(),
});

export const settingsSchema = z.strictObject({
  mode: executionModeSchema.default('autonomous'),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3_600_000)
    .optional(),
  pausePoints: z.array(z.string().max(64)).max(MAX_NODES).optional(),
});

export const graphSchema = z.strictObject({
  name: z.string().trim().min(1, 'name is required').max(200),
  description: z.string().max(5000).optional(),
  inputs: inputSchemaSchema.optional(),
  settings: settingsSchema.optional(),
  nodes: z.array(nodeSchema).min(1, 'a workflow needs at least a start node').max(MAX_NODES),
  edges: z.array(edgeSchema).max(MAX_EDGES).default([]),
});

export type WorkflowNode = z.infer<typeof nodeSchema>;
export type WorkflowEdge = z.infer<typeof edgeSchema>;
export type WorkflowGraph = z.infer<typeof graphSchema>;
