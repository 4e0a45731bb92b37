import type { z } from 'zod';
import { blockConfigSchemas, isBlockType } from '../model/blocks.ts';
import {
  edgeSchema,
  graphSchema,
  nodeSchema,
  settingsSchema,
  type WorkflowEdge,
  type WorkflowGraph,
  type WorkflowNode,
} from '../model/graph.ts';
import { inputSchemaSchema } from '../model/input-schema.ts';
import { formatPath, type Problem } from '../model/problem.ts';

/**
 * The parts of a submitted graph that later checks can work on. When the document has shape problems,
 * nodes and edges are kept as long as their essentials (ids, type, ends) are readable, so that one
 * typo in a name does not hide every problem in the wiring.
 */
export interface GraphParts {
  graph: WorkflowGraph;
  /** Position of each usable node/edge in the submitted arrays, for problem paths. */
  nodeIndex: Map<WorkflowNode, number>;
  edgeIndex: Map<WorkflowEdge, number>;
  /** Ids of nodes too broken to use: references to them are not reported as unknown. */
  unreadableIds: Set<string>;
  /** False when some node or edge was dropped, so reachability and ordering would be guesswork. */
  complete: boolean;
}

export interface StructureResult {
  problems: Problem[];
  /** Absent when the document is not even an object with a list of nodes. */
  parts?: GraphParts;
  /** The parsed graph, when its shape is entirely right. */
  graph?: WorkflowGraph;
}

/** Shape of the document, each node's config for its type, and the retry limit. */
export function checkStructure(raw: unknown, maxRetryAttempts: number): StructureResult {
  const parsed = graphSchema.safeParse(raw);
  const problems = parsed.success ? [] : issuesToProblems(parsed.error.issues, raw, [], 'invalid_shape');
  if (!isRecord(raw) || !Array.isArray(raw.nodes) || (raw.edges !== undefined && !Array.isArray(raw.edges))) {
    return { problems };
  }
  const parts = readParts(raw, raw.nodes, Array.isArray(raw.edges) ? raw.edges : []);
  for (const node of parts.graph.nodes) {
    problems.push(...checkConfig(node, parts.nodeIndex.get(node)!, raw, maxRetryAttempts));
  }
  return parsed.success ? { problems, parts, graph: parsed.data } : { problems, parts };
}

function readParts(raw: Record<string, unknown>, rawNodes: unknown[], rawEdges: unknown[]): GraphParts {
  const parts: GraphParts = {
    graph: { name: typeof raw.name === 'string' ? raw.name : '', nodes: [], edges: [] },
    nodeIndex: new Map(),
    edgeIndex: new Map(),
    unreadableIds: new Set(),
    complete: true,
  };
  const inputs = inputSchemaSchema.safeParse(raw.inputs);
  if (inputs.success) parts.graph.inputs = inputs.data;
  const settings = settingsSchema.safeParse(raw.settings);
  if (settings.success) parts.graph.settings = settings.data;
  rawNodes.forEach((rawNode, index) => {
    const node = readNode(rawNode);
    if (node) {
      parts.graph.nodes.push(node);
      parts.nodeIndex.set(node, index);
      return;
    }
    parts.complete = false;
    if (isRecord(rawNode) && typeof rawNode.id === 'string') parts.unreadableIds.add(rawNode.id);
  });
  rawEdges.forEach((rawEdge, index) => {
    const edge = readEdge(rawEdge);
    if (!edge) {
      parts.complete = false;
      return;
    }
    parts.graph.edges.push(edge);
    parts.edgeIndex.set(edge, index);
  });
  return parts;
}

/** A node as parsed, or rebuilt from its essentials when other fields are wrong (already reported). */
function readNode(raw: unknown): WorkflowNode | null {
  const parsed = nodeSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (!isRecord(raw) || typeof raw.id !== 'string' || !isBlockType(raw.type)) return null;
  if (raw.config !== undefined && !isRecord(raw.config)) return null;
  if (raw.parentId !== undefined && typeof raw.parentId !== 'string') return null;
  const node: WorkflowNode = { id: raw.id, type: raw.type, name: typeof raw.name === 'string' ? raw.name : raw.id };
  if (raw.parentId !== undefined) node.parentId = raw.parentId;
  if (raw.config !== undefined) node.config = raw.config;
  return node;
}

function readEdge(raw: unknown): WorkflowEdge | null {
  const parsed = edgeSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (
    !isRecord(raw) ||
    typeof raw.id !== 'string' ||
    typeof raw.source !== 'string' ||
    typeof raw.target !== 'string'
  ) {
    return null;
  }
  if (raw.sourceHandle !== undefined && typeof raw.sourceHandle !== 'string') return null;
  const edge: WorkflowEdge = { id: raw.id, source: raw.source, target: raw.target };
  if (raw.sourceHandle !== undefined) edge.sourceHandle = raw.sourceHandle;
  return edge;
}

function checkConfig(node: WorkflowNode, index: number, raw: unknown, maxRetryAttempts: number): Problem[] {
  const base = ['nodes', index, 'config'];
  const config = node.config ?? {};
  const parsed = blockConfigSchemas[node.type].safeParse(config);
  const problems = parsed.success ? [] : issuesToProblems(parsed.error.issues, raw, base, 'invalid_config');
  const retry = config.retry;
  const attempts = isRecord(retry) ? retry.maxAttempts : undefined;
  if (typeof attempts === 'number' && attempts > maxRetryAttempts) {
    problems.push({
      code: 'retry_limit',
      path: formatPath([...base, 'retry', 'maxAttempts']),
      nodeId: node.id,
      message:
        `retry.maxAttempts is ${attempts} but this server allows at most ${maxRetryAttempts} ` +
        '(MAX_RETRY_ATTEMPTS); lower it or raise MAX_RETRY_ATTEMPTS',
    });
  }
  return problems;
}

/** zod issues as problems; `base` is where the checked value sits inside `root`, the whole document. */
function issuesToProblems(issues: z.core.$ZodIssue[], root: unknown, base: PropertyKey[], code: string): Problem[] {
  return issues.map((issue) => {
    const path = [...base, ...issue.path];
    const problem: Problem = { code, path: formatPath(path), message: issueMessage(issue, root, path) };
    const owner = ownerOf(root, path);
    if (owner.nodeId !== undefined) problem.nodeId = owner.nodeId;
    if (owner.edgeId !== undefined) problem.edgeId = owner.edgeId;
    return problem;
  });
}

/** zod says "expected string, received undefined" for a missing field; say which field instead. */
function issueMessage(issue: z.core.$ZodIssue, root: unknown, path: PropertyKey[]): string {
  const field = path.at(-1);
  if (issue.code === 'invalid_type' && typeof field === 'string' && valueAt(root, path) === undefined) {
    return `${field} is required (expected ${issue.expected})`;
  }
  return issue.message;
}

/** The node or edge a path points into, read from the raw document so it works on broken parts too. */
function ownerOf(root: unknown, path: PropertyKey[]): { nodeId?: string; edgeId?: string } {
  const [list, index] = path;
  if (typeof index !== 'number' || (list !== 'nodes' && list !== 'edges')) return {};
  const id = valueAt(root, [list, index, 'id']);
  if (typeof id !== 'string') return {};
  return list === 'nodes' ? { nodeId: id } : { edgeId: id };
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
