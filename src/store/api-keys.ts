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

/**
 * The live key a bearer token names, with its workspace's slug and its last-used time brought up to date;
 * undefined for anything else.
 */
export async function verifyApiKey(
  db: Database,
  key: string,
  now = new Date(),
): Promise<(ApiKeyRow & { workspaceSlug: string }) | undefined> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return undefined;
  const hash = bearerTokenHash(key);
  const [found] = await db.orm
    .select({ key: apiKeys, workspaceSlug: workspaces.slug })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)));
  if (!found) return undefined;
  const row = { ...found.key, workspaceSlug: found.workspaceSlug };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    await db.orm
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
  }
  return row;
}
