import { applyEdit, EditError, type Edit } from '../graph/edit.ts';
import { validateGraph } from '../graph/validate.ts';
import type { Workflow, WorkflowRepository } from '../store/workflows.ts';
import { readEdit, type EditIntent } from './nlu/edits.ts';

const EDIT_INTENTS: ReadonlySet<string> = new Set<EditIntent>([
  'add-block',
  'remove-block',
  'connect-blocks',
  'disconnect-blocks',
  'rename-block',
  'configure-block',
  'move-block',
]);

export function isEditIntent(intent: string): intent is EditIntent {
  return EDIT_INTENTS.has(intent);
}

export type Proposal = { edit: Edit; summary: string } | { reply: string };

/**
 * Edits a workflow's draft from chat. The edit is read against the current draft, applied, validated as a
 * whole and only then saved, so a chat can never leave a draft the editor would refuse.
 */
export class DraftEditor {
  constructor(
    private readonly workflows: WorkflowRepository,
    private readonly maxRetryAttempts: number,
  ) {}

  /** Reads the message into an edit and checks it applies; nothing is saved. */
  async propose(workflow: Workflow, intent: EditIntent, text: string): Promise<Proposal> {
    const draft = (await this.workflows.get(workflow.workspaceId, workflow.id)).draft;
    const reading = readEdit(
      intent,
      text,
      draft.nodes.map((n) => ({ id: n.id, name: n.name })),
    );
    if ('ask' in reading) return { reply: reading.ask };
    const tried = this.tryEdit(draft, reading.edit);
    return 'problem' in tried
      ? { reply: `I left the draft as it was: ${tried.problem}.` }
      : { edit: reading.edit, summary: tried.summary };
  }

  /** Applies the edit to the draft as it is now (it may have changed since it was proposed) and saves it. */
  async save(workflow: Workflow, edit: Edit): Promise<string> {
    const draft = (await this.workflows.get(workflow.workspaceId, workflow.id)).draft;
    const tried = this.tryEdit(draft, edit);
    if ('problem' in tried) return `I left the draft as it was: ${tried.problem}.`;
    await this.workflows.updateDraft(workflow.workspaceId, workflow.id, tried.graph);
    const steps = tried.graph.nodes.length;
    return `Done: ${tried.summary}. The draft of "${workflow.name}" now has ${steps} step${steps === 1 ? '' : 's'}; publish it to run the change.`;
  }

  private tryEdit(draft: Workflow['draft'], edit: Edit) {
    try {
      const { graph, summary } = applyEdit(draft, edit);
      const { graph: valid, problems } = validateGraph(graph, { maxRetryAttempts: this.maxRetryAttempts });
      if (!valid) return { problem: `that would make the workflow invalid (${problems[0]!.message})` };
      return { graph: valid, summary };
    } catch (error) {
      if (error instanceof EditError) return { problem: error.message };
      throw error;
    }
  }
}
