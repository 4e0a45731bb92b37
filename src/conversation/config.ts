import { z } from 'zod';
import type { Edit } from '../graph/edit.ts';
import type { EditIntent } from './nlu/edits.ts';

/** How a conversation talks (names from the seeds). */
export const conversationConfigSchema = z.strictObject({
  personality: z.enum(['professional', 'friendly', 'concise']).default('friendly'),
  communicationStyle: z.enum(['conversational', 'direct']).default('conversational'),
  verbosityLevel: z.enum(['minimal', 'normal', 'detailed']).default('normal'),
  showProgress: z.boolean().default(true),
  explainSteps: z.boolean().default(false),
  askForConfirmation: z.boolean().default(false),
  /** The knowledge base questions are answered from ("what does the handbook say about refunds?"). */
  knowledgeBaseId: z.string().min(1).max(200).optional(),
});
export type ConversationConfig = z.infer<typeof conversationConfigSchema>;

/** What the dialogue is in the middle of; stored with the session so a restart loses nothing. */
export interface DialogueState {
  /** Collecting the inputs of a workflow before starting it, one question at a time. */
  collecting?: { workflowId: string; values: Record<string, unknown>; asking: string };
  /** Execution mode for the next run ("switch to step by step"). */
  mode?: 'autonomous' | 'step-by-step' | 'hybrid';
  /** An action waiting for "yes" because the conversation asks for confirmation (askForConfirmation). */
  pending?: PendingAction;
}

export type PendingAction =
  | { action: 'start'; workflowId: string; values: Record<string, unknown> }
  | { action: 'cancel' }
  | { action: 'edit'; intent: EditIntent; workflowId: string; edit: Edit };
