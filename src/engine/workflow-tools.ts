import type { WorkflowRepository } from '../store/workflows.ts';
import type { WorkflowTools } from './blocks/types.ts';
import type { ExecutionService } from './service.ts';

// A tool run is re-checked at least this often, so an abort is noticed even between events.
const POLL_MS = 1000;

/** Agent tool calls run other workflows through the engine's own API, like any client would. */
export function workflowTools(service: ExecutionService, workflows: WorkflowRepository): WorkflowTools {
  return {
    async describe(workspaceId, ref) {
      const workflow = await workflows.get(workspaceId, ref);
      if (workflow.latestVersion === null)
        throw new Error(`workflow "${workflow.slug}" has no published version to run as a tool`);
      const graph = await workflows.versionGraph(workspaceId, workflow.id, workflow.latestVersion);
      return { slug: workflow.slug, name: workflow.name, description: graph.description, inputs: graph.inputs };
    },
    async run(workspaceId, ref, input, signal) {
      const started = await service.start(workspaceId, ref, { input });
      // A person-facing wait ends the tool call: the model hears that the run is waiting and can say so.
      while (!(await service.waitForSettle(started.id, POLL_MS))) {
        if (signal.aborted) {
          await service.command(workspaceId, started.id, 'cancel').catch(() => undefined);
          throw signal.reason;
        }
      }
      const view = await service.get(workspaceId, started.id);
      return { executionId: view.id, status: view.status, output: view.output, error: view.error };
    },
  };
}
