import type { FastifySchemaCompiler } from 'fastify';
import { z, type ZodType } from 'zod';

/**
 * Schemas marked here describe a body for the OpenAPI document only; the handler validates it
 * itself (graphs are checked by `graph/validate`, which reports every problem at once).
 */
const documentationOnly = new WeakSet<object>();
export function docOnly<T extends ZodType>(schema: T): T {
  documentationOnly.add(schema);
  return schema;
}

/** Fastify validates params, query and bodies with zod; failures become 400s in the error plugin. */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema }) => {
  if (documentationOnly.has(schema)) return (data) => ({ value: data });
  return (data) => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: result.error };
  };
};

function toJsonSchema(schema: unknown): unknown {
  if (!(schema instanceof z.ZodType)) return schema;
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });
}

/** Turns the zod schemas of a route into JSON Schema for @fastify/swagger. */
export function swaggerTransform({
  schema,
  url,
  route,
}: {
  schema: Record<string, unknown>;
  url: string;
  route?: { config?: { access?: string } };
}) {
  if (!schema) return { schema, url };
  const out: Record<string, unknown> = { ...schema };
  // Routes anyone may call say so; every other one needs the document's default credentials (key or session).
  if (route?.config?.access === 'public') out.security = [];
  for (const key of ['body', 'querystring', 'params', 'headers'] as const) {
    if (schema[key]) out[key] = toJsonSchema(schema[key]);
  }
  if (schema.response && typeof schema.response === 'object') {
    out.response = Object.fromEntries(Object.entries(schema.response).map(([code, s]) => [code, toJsonSchema(s)]));
  }
  return { schema: out, url };
}
