import type { WorkflowGraph } from '../model/graph.ts';
import type { Problem } from '../model/problem.ts';

/** A knowledge base a node names: a knowledge block's source, an agent's search tool, the assistant's answers. */
export interface KnowledgeReference {
  nodeId: string;
  path: string;
  knowledgeBaseId: string;
}

/** Every knowledge base the graph's nodes name, with where (pure: whether each exists is the caller's question). */
export function knowledgeReferences(graph: WorkflowGraph): KnowledgeReference[] {
  return graph.nodes.flatMap((node, i) => {
    if (node.type !== 'knowledge' && node.type !== 'agent' && node.type !== 'assistant') return [];
    const id = (node.config as { knowledgeBaseId?: unknown } | undefined)?.knowledgeBaseId;
    return typeof id === 'string'
      ? [{ nodeId: node.id, path: `nodes[${i}].config.knowledgeBaseId`, knowledgeBaseId: id }]
      : [];
  });
}

/** The problem of a reference to a knowledge base the workspace does not have. */
export function unknownKnowledgeBase(ref: KnowledgeReference): Problem {
  return {
    code: 'unknown_knowledge_base',
    path: ref.path,
    nodeId: ref.nodeId,
    message: `no knowledge base "${ref.knowledgeBaseId}" in this workspace: choose one of the Knowledge page`,
  };
}
