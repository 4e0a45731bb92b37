import type { WorkflowGraph } from '../model/graph.ts';
import type { WorkflowRepository } from '../store/workflows.ts';
import { StepError } from './blocks/types.ts';

/** Published versions never change, so their graphs are cached for the life of the process. */
export class VersionCache {
  private readonly graphs = new Map<string, Promise<WorkflowGraph>>();

  constructor(private readonly workflows: WorkflowRepository) {}

  graph(workspaceId: string, workflowId: string, version: number): Promise<WorkflowGraph> {
    const key = `${workflowId}@${version}`;
    let graph = this.graphs.get(key);
    if (!graph) {
      graph = this.workflows.versionGraph(workspaceId, workflowId, version);
      graph.catch(() => this.graphs.delete(key));
      this.graphs.set(key, graph);
    }
    return graph;
  }

  /** Resolves a subworkflow reference (id or slug) to a published version in the same workspace. */
  async resolve(
    workspaceId: string,
    idOrSlug: string,
    version?: number,
  ): Promise<{ workflowId: string; version: number }> {
    const workflow = await this.workflows.find(workspaceId, idOrSlug);
    if (!workflow)
      throw new StepError(`subworkflow "${idOrSlug}" does not exist in this workspace`, 'unknown_workflow', false);
    const number = version ?? workflow.latestVersion;
    if (number === null || number === undefined) {
      throw new StepError(
        `subworkflow "${workflow.slug}" has no published version; publish it first`,
        'unpublished_workflow',
        false,
      );
    }
    if (workflow.latestVersion === null || number > workflow.latestVersion) {
      throw new StepError(`subworkflow "${workflow.slug}" has no version ${number}`, 'unknown_version', false);
    }
    return { workflowId: workflow.id, version: number };
  }
}
