import { agentBlock } from './agent.ts';
import { assistantBlock } from './assistant.ts';
import { approvalBlock } from './approval.ts';
import { conditionBlock } from './condition.ts';
import { functionBlock } from './function.ts';
import { httpBlock } from './http.ts';
import { inputBlock } from './input.ts';
import { knowledgeBlock } from './knowledge.ts';
import { loopBlock } from './loop.ts';
import { notifyBlock } from './notify.ts';
import { parallelBlock } from './parallel.ts';
import { responseBlock } from './response.ts';
import { routerBlock } from './router.ts';
import { startBlock } from './start.ts';
import { subworkflowBlock } from './subworkflow.ts';
import { waitBlock } from './wait.ts';

/** Every block type Duet runs, in palette order. */
export const BLOCK_CATALOG = {
  start: startBlock,
  function: functionBlock,
  http: httpBlock,
  condition: conditionBlock,
  router: routerBlock,
  agent: agentBlock,
  knowledge: knowledgeBlock,
  input: inputBlock,
  approval: approvalBlock,
  wait: waitBlock,
  loop: loopBlock,
  parallel: parallelBlock,
  subworkflow: subworkflowBlock,
  notify: notifyBlock,
  assistant: assistantBlock,
  response: responseBlock,
};
