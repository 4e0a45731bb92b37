import { blockDescriptor, CONTAINER_TYPES, isBlockType } from '../model/blocks.ts';
import type { WorkflowGraph, WorkflowNode } from '../model/graph.ts';
import { edgeCondition } from './conditions.ts';
import { describeNode, type JourneyNames } from './describe.ts';
import type { Journey, JourneyState, JourneyTransition, UnmappedItem } from './types.ts';

/**
 * The conversation view of a graph: one state per node, one transition per edge. It maps what it
 * can and lists the rest in `report.unmapped` instead of throwing, so an invalid draft still
 * gets a journey and nothing disappears without a reason.
 */
export function mapJourney(graph: WorkflowGraph, names: JourneyNames = {}): Journey {
  const unmapped: UnmappedItem[] = [];
  const nodes = knownNodes(graph, unmapped);
  const placed = new Map<string, WorkflowNode>();
  for (const node of nodes.values()) {
    const problem = containerProblem(node, nodes);
    if (problem) unmapped.push({ kind: 'node', id: node.id, reason: problem });
    else placed.set(node.id, node);
  }

  const transitions = mapEdges(graph, placed, unmapped);
  // A container entering its children is not a way out of it: only edges count.
  const leaving = new Set(transitions.map((t) => t.from));
  const mappedEdges = transitions.length;
  transitions.push(...entryTransitions(placed, transitions));

  const states = [...placed.values()].map((node): JourneyState => ({
    id: node.id,
    kind: blockDescriptor(node.type).journeyKind,
    nodeId: node.id,
    blockType: node.type,
    label: node.name,
    ...describeNode(node, graph.inputs, names),
    terminal: node.parentId === undefined && !leaving.has(node.id),
    ...(node.parentId === undefined ? {} : { parentId: node.parentId }),
  }));
  return { name: graph.name, states, transitions, report: { mappedNodes: states.length, mappedEdges, unmapped } };
}

/** Nodes of a known block type, first of each id. */
function knownNodes(graph: WorkflowGraph, unmapped: UnmappedItem[]): Map<string, WorkflowNode> {
  const nodes = new Map<string, WorkflowNode>();
  for (const node of graph.nodes) {
    if (!isBlockType(node.type)) {
      unmapped.push({ kind: 'node', id: node.id, reason: `unknown block type "${String(node.type)}"` });
    } else if (nodes.has(node.id)) {
      unmapped.push({ kind: 'node', id: node.id, reason: 'another node already has this id' });
    } else {
      nodes.set(node.id, node);
    }
  }
  return nodes;
}

/** Why a node cannot sit in its chain of containers, or null when it can. */
function containerProblem(node: WorkflowNode, nodes: Map<string, WorkflowNode>): string | null {
  const seen = new Set([node.id]);
  for (let id = node.parentId; id !== undefined; id = nodes.get(id)?.parentId) {
    const parent = nodes.get(id);
    if (!parent) return `its container "${id}" is missing or could not be mapped`;
    if (!CONTAINER_TYPES.has(parent.type))
      return `its parent "${id}" is a ${parent.type} block, not a loop or parallel`;
    if (seen.has(id)) return 'its chain of containers loops';
    seen.add(id);
  }
  return null;
}

function mapEdges(
  graph: WorkflowGraph,
  placed: Map<string, WorkflowNode>,
  unmapped: UnmappedItem[],
): JourneyTransition[] {
  const transitions: JourneyTransition[] = [];
  const ids = new Set<string>();
  const reject = (id: string, reason: string) => unmapped.push({ kind: 'edge', id, reason });
  for (const edge of graph.edges) {
    if (ids.has(edge.id)) {
      reject(edge.id, 'another edge already has this id');
      continue;
    }
    ids.add(edge.id);
    const source = placed.get(edge.source);
    if (!source) {
      reject(edge.id, `its source "${edge.source}" is not a mapped node`);
      continue;
    }
    if (!placed.has(edge.target)) {
      reject(edge.id, `its target "${edge.target}" is not a mapped node`);
      continue;
    }
    const result = edgeCondition(source, edge);
    if ('problem' in result) {
      reject(edge.id, result.problem);
      continue;
    }
    transitions.push({
      id: edge.id,
      from: edge.source,
      to: edge.target,
      handle: edge.sourceHandle ?? null,
      condition: result.condition,
    });
  }
  return transitions;
}

/**
 * A container enters the children no sibling leads to (the first child if they all form a
 * cycle), so that a container's body is never disconnected from the rest of the journey.
 */
function entryTransitions(placed: Map<string, WorkflowNode>, transitions: JourneyTransition[]): JourneyTransition[] {
  const entries: JourneyTransition[] = [];
  for (const container of placed.values()) {
    const condition = blockDescriptor(container.type).container?.entry;
    if (condition === undefined) continue;
    const children = [...placed.values()].filter((n) => n.parentId === container.id);
    const fromSibling = new Set(
      transitions.filter((t) => placed.get(t.from)?.parentId === container.id && t.from !== t.to).map((t) => t.to),
    );
    const heads = children.filter((c) => !fromSibling.has(c.id));
    for (const child of heads.length > 0 ? heads : children.slice(0, 1)) {
      entries.push({
        id: `${container.id}->${child.id}`,
        from: container.id,
        to: child.id,
        handle: null,
        condition,
        implicit: true,
      });
    }
  }
  return entries;
}
