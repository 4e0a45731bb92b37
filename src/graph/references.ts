import type { BlockType } from '../model/blocks.ts';
import type { WorkflowNode } from '../model/graph.ts';
import { formatPath, type Problem } from '../model/problem.ts';
import { SECRET_NAME, SECRET_NAME_RULE } from '../model/secrets.ts';
import type { GraphParts } from './structure.ts';
import {
  compileExpression,
  referencedRoots,
  scanTemplates,
  unwrapExpression,
  type RootReference,
} from './templates.ts';
import { buildAdjacency, containersOf, upstreamQuery, type Adjacency } from './topology.ts';
import { listNames } from './wording.ts';

/**
 * Templates and expressions in node configs must parse, and what they read must exist and be ready:
 * `input.<field>` must be a declared input (when the workflow declares inputs) and `steps.<id>` a node
 * that can finish before this one, and `secrets.<NAME>` a well-formed name (whether the secret exists is known only
 * when the step runs, in its workspace). `vars`, `execution` and `env` are not checked: they depend on the run.
 */
export function checkReferences(parts: GraphParts): Problem[] {
  const adjacency = buildAdjacency(parts.graph);
  const known: Known = { parts, adjacency, isUpstream: upstreamQuery(adjacency) };
  const problems: Problem[] = [];
  for (const node of parts.graph.nodes) {
    const base = ['nodes', parts.nodeIndex.get(node)!, 'config'];
    forEachString(node.config ?? {}, [], (text, field) => {
      if (node.type === 'function' && field[0] === 'code') return; // JavaScript, not a template
      const path = formatPath([...base, ...field]);
      const report = (code: string, message: string): void => {
        if (!problems.some((p) => p.code === code && p.path === path && p.message === message)) {
          problems.push({ code, path, nodeId: node.id, message });
        }
      };
      const expressions = isExpressionField(node.type, field) ? [unwrapExpression(text)] : templatesOf(text, report);
      for (const expression of expressions) {
        const compiled = compileExpression(expression);
        if (!compiled.ok) {
          report('invalid_expression', `"${expression}" is not valid JSONata: ${compiled.message}`);
          continue;
        }
        for (const ref of referencedRoots(compiled.expression.ast())) {
          const wrong = checkReference(ref, node, known);
          if (wrong) report(wrong.code, wrong.message);
        }
      }
    });
  }
  return problems;
}

/** Fields that hold a bare JSONata expression rather than text with templates. */
function isExpressionField(type: BlockType, field: PropertyKey[]): boolean {
  if (type === 'condition') return field.length === 1 && field[0] === 'expression';
  if (type === 'loop') return field.length === 1 && field[0] === 'items';
  if (type === 'router') return field.length === 3 && field[0] === 'routes' && field[2] === 'expression';
  return false;
}

function templatesOf(text: string, report: (code: string, message: string) => void): string[] {
  const { templates, unclosedAt } = scanTemplates(text);
  if (unclosedAt !== null) {
    report(
      'unclosed_template',
      `the "{{" at character ${unclosedAt} has no closing "}}"; close it, or remove it if it is meant as text`,
    );
  }
  return templates.map((t) => t.expression);
}

/** What references are checked against. */
interface Known {
  parts: GraphParts;
  adjacency: Adjacency;
  isUpstream: (x: string, y: string) => boolean;
}

function checkReference(
  ref: RootReference,
  node: WorkflowNode,
  { parts, adjacency, isUpstream }: Known,
): { code: string; message: string } | null {
  if (ref.root === 'secrets') return checkSecretReference(ref);
  if (ref.name === undefined) return null;
  if (ref.root === 'input') {
    const declared = parts.graph.inputs?.properties;
    if (!declared || ref.name in declared) return null;
    return {
      code: 'unknown_input',
      message: `input.${ref.name} is not a declared input; declare it under inputs.properties or use one of: ${listNames(Object.keys(declared))}`,
    };
  }
  const step = adjacency.nodes.get(ref.name);
  if (!step) {
    if (parts.unreadableIds.has(ref.name)) return null;
    return {
      code: 'unknown_step',
      message: `steps.${ref.name} is not a node of this workflow; use one of: ${listNames(adjacency.nodes.keys())}`,
    };
  }
  const container = step.parentId;
  if (container && !containersOf(adjacency, node.id).includes(container)) {
    // Children run in their own iteration or branch; outside it only the container's result exists.
    return {
      code: 'step_inside_container',
      message: `steps.${ref.name} runs inside "${container}" and is not visible outside it; read steps.${container}.output instead (a loop's output is the list of each iteration's result)`,
    };
  }
  // With unreadable nodes or edges the order is unknown, so only outright unknown steps are reported.
  if (!parts.complete || isUpstream(ref.name, node.id)) return null;
  return {
    code: 'step_not_upstream',
    message:
      `steps.${ref.name} is read here but "${ref.name}" does not run before "${node.id}"; ` +
      `connect "${ref.name}" upstream of "${node.id}" or read something that does`,
  };
}

function checkSecretReference(ref: RootReference): { code: string; message: string } | null {
  if (ref.name === undefined) {
    return {
      code: 'secret_by_name',
      message:
        'read secrets one at a time by name, e.g. secrets.OPENAI_KEY; the whole secrets object, or a name computed at run time, is not available',
    };
  }
  if (SECRET_NAME.test(ref.name)) return null;
  return { code: 'invalid_secret_name', message: `secrets.${ref.name} can never exist: ${SECRET_NAME_RULE}` };
}

/** Calls `visit` with every string inside a JSON value and its path relative to that value. */
function forEachString(value: unknown, path: PropertyKey[], visit: (text: string, path: PropertyKey[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => forEachString(item, [...path, i], visit));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) forEachString(item, [...path, key], visit);
  }
}
