import { z } from 'zod';
import { DuetError } from '../../model/errors.ts';
import { EXPORT_FORMAT, exportEnvelopeSchema, isExportEnvelope } from '../../model/export.ts';
import type { WorkflowRepository } from '../../store/workflows.ts';
import type { GraphChecker } from '../graph-check/graph-checker.ts';
import { zodProblems } from '../plugins/errors.ts';
import { docOnly, type ZodApp } from '../zod.ts';
import { workflowParams } from './workflows.ts';

/** Moves workflows between instances as JSON files. */
export async function workflowTransferRoutes(
  app: ZodApp,
  opts: { workflows: WorkflowRepository; graphs: GraphChecker },
) {
  const { workflows } = opts;
  const tags = ['workflows'];

  app.post(
    '/api/v1/workflows/import',
    {
      config: { access: 'workflows.write' },
      schema: {
        tags,
        summary: 'Import an exported workflow file or a bare graph as a new workflow',
        body: docOnly(z.union([exportEnvelopeSchema, z.record(z.string(), z.unknown())])),
      },
    },
    async (request, reply) => {
      const { graph: raw, slug } = readImport(request.body);
      const graph = await opts.graphs.require(raw);
      return reply.status(201).send(await workflows.create(request.workspaceId, graph, slug));
    },
  );

  app.get(
    '/api/v1/workflows/:id/export',
    {
      config: { access: 'workflows.read' },
      schema: { tags, summary: "Export a workflow's draft as a portable JSON file", params: workflowParams },
    },
    async (request, reply) => {
      const { id } = request.params;
      const workflow = await workflows.get(request.workspaceId, id);
      reply.header('content-disposition', `attachment; filename="${workflow.slug}.duet.json"`);
      return {
        format: EXPORT_FORMAT,
        formatVersion: 1,
        exportedAt: new Date().toISOString(),
        slug: workflow.slug,
        graph: workflow.draft,
      };
    },
  );
}

/** Accepts the export envelope or a bare graph. */
function readImport(body: unknown): { graph: unknown; slug?: string } {
  if (!isExportEnvelope(body)) return { graph: body };
  const parsed = exportEnvelopeSchema.safeParse(body);
  if (!parsed.success) {
    throw new DuetError(
      'validation_failed',
      'the export file is not valid; re-export it or send the bare graph',
      zodProblems(parsed.error),
    );
  }
  return { graph: parsed.data.graph, slug: parsed.data.slug };
}
