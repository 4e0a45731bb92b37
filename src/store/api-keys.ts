import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Role } from '../model/roles.ts';
import { DuetError } from '../model/errors.ts';
import { bearerTokenHash, newBearerToken } from './bearer-tokens.ts';
import type { Database } from './db.ts';
import { apiKeys, workspaces } from './schema.ts';

export const API_KEY_PREFIX = 'duet_';
const SHOWN_PREFIX_LENGTH = 12;
/** Last-used times are written at most this often per key, so a busy script does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_KEYS_PER_WORKSPACE = 1000;

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const view = ({ hash: _hash, workspaceId: _ws, ...row }: ApiKeyRow): ApiKeyView => ({ ...row, role: row.role as Role });

/** Makes a key; the clear key is in the answer only, the database keeps its SHA-256. */
export async function createApiKey(
  db: Database,
  input: { workspaceId: string; name: string; role: Role; createdBy?: string },
): Promise<ApiKeyView & { key: string }> {
  const live = await db.orm.$count(apiKeys, and(eq(apiKeys.workspaceId, input.workspaceId), isNull(apiKeys.revokedAt)));
  if (live >= MAX_KEYS_PER_WORKSPACE)
    throw new DuetError(
      'conflict',
      `a workspace holds at most ${MAX_KEYS_PER_WORKSPACE} live API keys; revoke unused ones first`,
    );
  const key = `${API_KEY_PREFIX}${newBearerToken()}`;
  const [row] = await db.orm
    .insert(apiKeys)
    .values({
      workspaceId: input.workspaceId,
      name: input.name,
      role: input.role,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      hash: bearerTokenHash(key),
      createdBy: input.createdBy ?? null,
    })
    .returning();
  return { ...view(row!), key };
}

export async function listApiKeys(db: Database, workspaceId: string): Promise<ApiKeyView[]> {
  const rows = await db.orm
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt))
    .limit(MAX_KEYS_PER_WORKSPACE);
  return rows.map(view);
}

export async function revokeApiKey(db: Database, workspaceId: string, id: string): Promise<ApiKeyView> {
  const [row] = await db.orm
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) throw new DuetError('not_found', `API key "${id}" does not exist or is already revoked`);
  return view(row);
}

/** A live (unrevoked) key as authentication needs it. */
export type LiveApiKey = Pick<ApiKeyRow, 'id' | 'name' | 'workspaceId' | 'lastUsedAt'> & {
  role: Role;
  workspaceSlug: string;
};

/** What an API key is looked up by (the SHA-256 of it); undefined for a bearer token that is no API key. */
export const apiKeyHash = (key: string): string | undefined =>
  key.startsWith(API_KEY_PREFIX) && key.length <= 200 ? bearerTokenHash(key) : undefined;

/** The live key with this hash, with its workspace's slug; undefined when it is unknown or revoked. */
export async function findLiveApiKey(db: Database, hash: string): Promise<LiveApiKey | undefined> {
  const [found] = await db.orm
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      workspaceId: apiKeys.workspaceId,
      role: apiKeys.role,
      lastUsedAt: apiKeys.lastUsedAt,
      workspaceSlug: workspaces.slug,
    })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)));
  return found ? { ...found, role: found.role as Role } : undefined;
}

/** Whether a use at `now` is worth writing down: last-used times are kept to the minute, not per request. */
export const apiKeyUseWorthRecording = (lastUsedAt: Date | null, now: Date): boolean =>
  !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;

export async function recordApiKeyUse(db: Database, id: string, now = new Date()): Promise<void> {
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  // Conditional: another process using the same key may have recorded a use since this one looked.
  await db.orm
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
}
