import type { BlockType } from '../../model/blocks.ts';
import { runAgentBlock } from './agent.ts';
import { runApprovalBlock } from './approval.ts';
import { runAssistantBlock } from './assistant.ts';
import { runConditionBlock } from './condition.ts';
import { runFunctionBlock } from './function.ts';
import { runHttpBlock } from './http.ts';
import { runInputBlock } from './input.ts';
import { runKnowledgeBlock } from './knowledge.ts';
import { runLoopBlock } from './loop.ts';
import { runNotifyBlock } from './notify.ts';
import { runParallelBlock } from './parallel.ts';
import { runResponseBlock } from './response.ts';
import { runRouterBlock } from './router.ts';
import { runStartBlock } from './start.ts';
import { runSubworkflowBlock } from './subworkflow.ts';
import type { BlockRunner } from './types.ts';
import { runWaitBlock } from './wait.ts';

/**
 * One runner per block of the catalog (src/model/catalog/): a catalog entry without a runner, or a runner
 * without a catalog entry, is a compile error.
 */
export const BLOCKS: Record<BlockType, BlockRunner> = {
  start: runStartBlock,
  function: runFunctionBlock,
  http: runHttpBlock,
  condition: runConditionBlock,
  router: runRouterBlock,
  agent: runAgentBlock,
  knowledge: runKnowledgeBlock,
  input: runInputBlock,
  approval: runApprovalBlock,
  wait: runWaitBlock,
  loop: runLoopBlock,
  parallel: runParallelBlock,
  subworkflow: runSubworkflowBlock,
  notify: runNotifyBlock,
  assistant: runAssistantBlock,
  response: runResponseBlock,
};
