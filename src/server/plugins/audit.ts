import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../../auth/principal.ts';
import { outcomeOf, recordAudit, type AuditEntry } from '../../store/audit.ts';
import type { Database } from '../../store/db.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by routes whose caller is not known from credentials (sign-in: the email tried; setup: the new admin). */
    auditActor?: { type: AuditEntry['actorType']; id: string | null; label: string | null };
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Route parameters that name the resource acted on (never tokens: those are secrets). */
const RESOURCE_PARAMS = ['id', 'name', 'userId', 'slug'] as const;

/**
 * Records an entry. A failure is logged, not thrown: the action it describes has already happened, and its answer
 * (HTTP or socket ack) must still go out.
 */
export async function writeAudit(db: Database, log: FastifyBaseLogger, entry: AuditEntry): Promise<void> {
  try {
    await recordAudit(db, entry);
  } catch (error) {
    log.error({ err: error, action: entry.action }, 'could not write the audit entry');
  }
}

export function actorOf(principal: Principal | undefined): Pick<AuditEntry, 'actorType' | 'actorId' | 'actorLabel'> {
  if (!principal) return { actorType: 'anonymous', actorId: null, actorLabel: null };
  return principal.kind === 'user'
    ? { actorType: 'user', actorId: principal.id, actorLabel: principal.email }
    : { actorType: 'api_key', actorId: principal.id, actorLabel: principal.name };
}

/** `/api/v1/workflows/:id/publish` → `workflows`; `/api/auth/sign-in/email` → `auth`. */
function resourceTypeOf(url: string): string | null {
  return /^\/api\/(?:v1\/)?([a-z-]+)/.exec(url)?.[1] ?? null;
}

function resourceIdOf(request: FastifyRequest, status: number, payload: unknown): string | null {
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const key of RESOURCE_PARAMS) if (typeof params[key] === 'string') return params[key];
  // A create answers 201 with the new resource; its id is what was acted on.
  if (status === 201 && typeof payload === 'string' && payload.length < 1_000_000) {
    try {
      const id = (JSON.parse(payload) as { id?: unknown }).id;
      if (typeof id === 'string') return id;
    } catch {
      /* not JSON: no id */
    }
  }
  return null;
}

/**
 * Every write to the API (and every refused one) leaves an audit entry before its answer goes out: who, what,
 * which resource, from where, and the outcome. Bodies are never recorded, so neither are passwords or secrets.
 * Writes refused by the API rate limit are the exception: they did nothing, and a flood must not fill the log.
 */
export const auditPlugin = fp(
  async (app: FastifyInstance, opts: { db: Database }) => {
    app.addHook('onSend', async (request, reply, payload) => {
      const url = request.routeOptions.url;
      if (READS.has(request.method) || !url?.startsWith('/api/') || request.apiRateLimited) return payload;
      const actor = request.auditActor
        ? { actorType: request.auditActor.type, actorId: request.auditActor.id, actorLabel: request.auditActor.label }
        : actorOf(request.principal);
      const entry: AuditEntry = {
        workspaceId:
          request.workspaceId || (request.principal?.kind === 'api_key' ? request.principal.workspaceId : null),
        ...actor,
        // A wildcard route (better-auth's) is named by the path it was called on: sign-in, sign-out, revoke-sessions.
        action: `${request.method} ${url.replace('*', String((request.params as Record<string, unknown>)['*'] ?? '*'))}`,
        resourceType: resourceTypeOf(url),
        resourceId: resourceIdOf(request, reply.statusCode, payload),
        ip: request.ip,
        outcome: outcomeOf(reply.statusCode),
        statusCode: reply.statusCode,
      };
      await writeAudit(opts.db, request.log, entry);
      return payload;
    });
  },
  { name: 'duet-audit', dependencies: ['duet-auth'] },
);
