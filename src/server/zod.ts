import type { SwaggerTransform } from '@fastify/swagger';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifySchemaCompiler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';

/**
 * The app as route plugins see it: params, query and body are typed from the route's zod schemas (only the typing
 * comes from the provider; `zodValidatorCompiler` below validates, so errors keep our envelope and messages).
 */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * Schemas marked here describe a body for the OpenAPI document only; the handler validates it
 * itself (graphs are checked by `graph/validate`, which reports every problem at once). Typed as `unknown`
 * so that a handler cannot mistake the unchecked body for a parsed one.
 */
const documentationOnly = new WeakSet<object>();
export function docOnly(schema: ZodType): ZodType<unknown> {
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
export const swaggerTransform: SwaggerTransform = ({ schema, url, route }) => {
  if (!schema) return { schema, url };
  const out: Record<string, unknown> = { ...schema };
  // Routes anyone may call say so; every other one needs the document's default credentials (key or session).
  if (route.config?.access === 'public') out.security = [];
  for (const key of ['body', 'querystring', 'params', 'headers'] as const) {
    if (schema[key]) out[key] = toJsonSchema(schema[key]);
  }
  if (schema.response && typeof schema.response === 'object') {
    out.response = Object.fromEntries(Object.entries(schema.response).map(([code, s]) => [code, toJsonSchema(s)]));
  }
  return { schema: out, url };
};
