import { inputSchemaSchema, type InputSchema } from '../model/input-schema.ts';
import { checkFieldValue } from '../model/input-values.ts';
import { formatPath, type Problem } from '../model/problem.ts';
import type { GraphParts } from './structure.ts';
import { listNames } from './wording.ts';

/** The workflow's `inputs` and every `input` block's `schema` must be self-consistent. */
export function checkInputs(parts: GraphParts): Problem[] {
  const problems = parts.graph.inputs ? checkSchema(parts.graph.inputs, ['inputs']) : [];
  for (const node of parts.graph.nodes) {
    if (node.type !== 'input') continue;
    // A schema with the wrong shape is reported with the node's config.
    const schema = inputSchemaSchema.safeParse(node.config?.schema);
    if (!schema.success) continue;
    const base = ['nodes', parts.nodeIndex.get(node)!, 'config', 'schema'];
    problems.push(...checkSchema(schema.data, base).map((p) => ({ ...p, nodeId: node.id })));
  }
  return problems;
}

function checkSchema(schema: InputSchema, base: PropertyKey[]): Problem[] {
  const names = Object.keys(schema.properties);
  const problems: Problem[] = (schema.required ?? []).flatMap((name, i) =>
    names.includes(name)
      ? []
      : [
          {
            code: 'unknown_required_input',
            path: formatPath([...base, 'required', i]),
            message: `"${name}" is required but not declared under properties; declare it or use one of: ${listNames(names)}`,
          },
        ],
  );
  for (const [name, field] of Object.entries(schema.properties)) {
    if (field.default === undefined) continue;
    const wrong = checkFieldValue(name, field, field.default);
    if (wrong) {
      problems.push({
        code: 'invalid_default',
        path: formatPath([...base, 'properties', name, 'default']),
        message: `the default does not fit the field: ${wrong}`,
      });
    }
  }
  return problems;
}
