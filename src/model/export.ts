import { z } from 'zod';

/** The file `GET /workflows/:id/export` writes and `POST /workflows/import` (or `duet workflows import`) reads. */
export const EXPORT_FORMAT = 'duet.workflow';

export const exportEnvelopeSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.literal(1, { error: 'this build reads formatVersion 1' }),
  exportedAt: z.string().optional(),
  slug: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/, 'slug is 1-60 lowercase letters, digits or -')
    .optional(),
  graph: z.unknown(),
});
export type ExportEnvelope = z.infer<typeof exportEnvelopeSchema>;

/** An import file is either an export envelope or a bare workflow graph. */
export function isExportEnvelope(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === EXPORT_FORMAT;
}
