import type { FastifyInstance } from 'fastify';
import type { Json } from './http.ts';

/** Creates a workflow from a graph and publishes it; returns its slug. */
export async function publish(app: FastifyInstance, graph: object): Promise<string> {
  const created = await app.inject({ method: 'POST', url: '/api/v1/workflows', payload: graph });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  const { slug } = created.json();
  const version = await app.inject({ method: 'POST', url: `/api/v1/workflows/${slug}/versions` });
  if (version.statusCode !== 201) throw new Error(`publish failed: ${version.body}`);
  return slug;
}

/** Starts an execution; with waitMs the call returns once it has ended (or the time is up). */
export async function start(
  app: FastifyInstance,
  slug: string,
  body: object = {},
  waitMs = 0,
): Promise<{ status: number; body: Json }> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/workflows/${slug}/executions${waitMs ? `?waitMs=${waitMs}` : ''}`,
    payload: body,
  });
  return { status: response.statusCode, body: response.json() };
}

export async function getExecution(app: FastifyInstance, id: string): Promise<Json> {
  return (await app.inject({ method: 'GET', url: `/api/v1/executions/${id}` })).json();
}

/** Polls until the execution's status is one of `statuses` (events would do; polling keeps tests plain). */
export async function until(app: FastifyInstance, id: string, statuses: string[], timeoutMs = 15_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await getExecution(app, id);
    if (statuses.includes(execution.status)) return execution;
    if (Date.now() > deadline)
      throw new Error(
        `execution ${id} is ${execution.status}, expected ${statuses.join('|')}: ${JSON.stringify(execution.error ?? execution.waiting)}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function command(
  app: FastifyInstance,
  id: string,
  path: string,
  payload?: object,
): Promise<{ status: number; body: Json }> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/executions/${id}/${path}`,
    ...(payload ? { payload } : {}),
  });
  return { status: response.statusCode, body: response.json() };
}

/** Node helpers for compact graphs in tests. */
export const node = (id: string, type: string, config?: object, extra: object = {}) => ({
  id,
  type,
  name: id,
  ...(config ? { config } : {}),
  ...extra,
});
export const edge = (source: string, target: string, sourceHandle?: string) => ({
  id: `${source}-${sourceHandle ?? 'next'}-${target}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});
export const chain = (...ids: string[]) => ids.slice(1).map((id, i) => edge(ids[i]!, id));

/** Sends one chat message to a conversation and returns the reply (fails the test unless it answers 200). */
export async function say(app: FastifyInstance, conversationId: string, text: string): Promise<Json> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    payload: { text },
  });
  if (response.statusCode !== 200) throw new Error(`message answered ${response.statusCode}: ${response.body}`);
  return response.json();
}
