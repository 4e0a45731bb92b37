import { z } from 'zod';

/**
 * The JSON Schema subset Duet accepts for workflow inputs and `input` steps: an object of
 * string/number/integer/boolean/enum/array fields. Kept small on purpose so every field can be
 * rendered as a form control and asked for in a chat.
 */
const scalarType = z.enum(['string', 'number', 'integer', 'boolean']);

const fieldBase = {
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  default: z.unknown().optional(),
};

const stringBounds = {
  enum: z
    .array(z.union([z.string(), z.number()]))
    .min(1)
    .max(500)
    .optional(),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(0).optional(),
  pattern: z.string().max(500).optional(),
  format: z.enum(['email', 'date', 'date-time', 'uri']).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
};

export const scalarFieldSchema = z.strictObject({
  type: scalarType,
  ...fieldBase,
  ...stringBounds,
});

export const arrayFieldSchema = z.strictObject({
  type: z.literal('array'),
  ...fieldBase,
  items: z.strictObject({ type: scalarType, enum: stringBounds.enum }).optional(),
  minItems: z.number().int().min(0).optional(),
  maxItems: z.number().int().min(0).max(10_000).optional(),
});

export const inputFieldSchema = z.discriminatedUnion('type', [scalarFieldSchema, arrayFieldSchema]);

export const inputSchemaSchema = z.strictObject({
  type: z.literal('object'),
  required: z.array(z.string()).max(200).optional(),
  properties: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'field names are letters, digits and _'), inputFieldSchema)
    .refine((p) => Object.keys(p).length <= 200, 'at most 200 fields'),
});

export type InputField = z.infer<typeof inputFieldSchema>;
export type InputSchema = z.infer<typeof inputSchemaSchema>;
