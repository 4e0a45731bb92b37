import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { ZodType } from 'zod';
import { seal, unseal, UnsealError } from './cipher.ts';
import { DuetError } from '../model/errors.ts';
import { MAX_SECRETS_PER_WORKSPACE, secretNameSchema, secretValueSchema } from '../model/secrets.ts';
import type { Database } from './db.ts';
import { secrets } from './schema.ts';

/** What anyone may see of a secret: never its value. */
export interface SecretView {
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A stored secret that cannot be opened (ENCRYPTION_KEY changed, or the row was altered). */
export class SecretUnreadableError extends Error {
  constructor(
    readonly secretName: string,
    cause: UnsealError,
  ) {
    super(`secret "${secretName}" cannot be read: ${cause.message}`);
    this.name = 'SecretUnreadableError';
  }
}

/** Binds a sealed value to its workspace and name, so a row copied elsewhere does not open. */
const sealContext = (workspaceId: string, name: string) => `duet-secret:${workspaceId}:${name}`;

function checked<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new DuetError('validation_failed', `${what}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/**
 * Workspace secrets, AES-256-GCM under the instance's ENCRYPTION_KEY. Values go in through `put` and come out
 * only through `resolve`, which the engine calls while a step runs; listings carry names and times.
 * During a key rotation `previousKey` (ENCRYPTION_KEY_PREVIOUS) still opens values not yet re-sealed.
 */
export class SecretStore {
  constructor(
    private readonly db: Database,
    private readonly key: Buffer,
    private readonly previousKey?: Buffer,
  ) {}

  /** Opens a sealed value with the current key, or the previous one while a rotation is under way. */
  private open(workspaceId: string, name: string, sealed: string): string {
    const context = sealContext(workspaceId, name);
    try {
      return unseal(sealed, this.key, context);
    } catch (error) {
      if (!(error instanceof UnsealError)) throw error;
      if (this.previousKey) {
        try {
          return unseal(sealed, this.previousKey, context);
        } catch {
          /* neither key: report the current key's error */
        }
      }
      throw new SecretUnreadableError(name, error);
    }
  }

  /**
   * Re-seals every secret of every workspace under the current key, in one transaction: either all of them move or,
   * when one opens with neither key, none does (the error names it).
   */
  async rotateKey(): Promise<{ resealed: number }> {
    return this.db.orm.transaction(async (tx) => {
      const rows = await tx
        .select({ id: secrets.id, workspaceId: secrets.workspaceId, name: secrets.name, sealed: secrets.sealed })
        .from(secrets)
        .for('update');
      for (const row of rows) {
        const plain = this.open(row.workspaceId, row.name, row.sealed);
        await tx
          .update(secrets)
          .set({ sealed: seal(plain, this.key, sealContext(row.workspaceId, row.name)) })
          .where(eq(secrets.id, row.id));
      }
      return { resealed: rows.length };
    });
  }

  /** Creates or replaces a secret; `created` tells which. */
  async put(
    workspaceId: string,
    name: string,
    value: string,
    createdBy?: string,
  ): Promise<{ secret: SecretView; created: boolean }> {
    checked(secretNameSchema, name, 'the secret name is not valid');
    checked(secretValueSchema, value, 'the secret value is not valid');
    const sealed = seal(value, this.key, sealContext(workspaceId, name));
    const existing = await this.db.orm.$count(
      secrets,
      and(eq(secrets.workspaceId, workspaceId), eq(secrets.name, name)),
    );
    if (
      existing === 0 &&
      (await this.db.orm.$count(secrets, eq(secrets.workspaceId, workspaceId))) >= MAX_SECRETS_PER_WORKSPACE
    ) {
      throw new DuetError(
        'conflict',
        `a workspace holds at most ${MAX_SECRETS_PER_WORKSPACE} secrets; delete unused ones first`,
      );
    }
    const [row] = await this.db.orm
      .insert(secrets)
      .values({ workspaceId, name, sealed, createdBy: createdBy ?? null })
      .onConflictDoUpdate({ target: [secrets.workspaceId, secrets.name], set: { sealed, updatedAt: sql`now()` } })
      // xmax is 0 for a row this statement inserted, and set for one it updated.
      .returning({
        name: secrets.name,
        createdAt: secrets.createdAt,
        updatedAt: secrets.updatedAt,
        created: sql<boolean>`(xmax = 0)`,
      });
    const { created, ...secret } = row!;
    return { secret, created: Boolean(created) };
  }

  async list(workspaceId: string): Promise<SecretView[]> {
    return this.db.orm
      .select({ name: secrets.name, createdAt: secrets.createdAt, updatedAt: secrets.updatedAt })
      .from(secrets)
      .where(eq(secrets.workspaceId, workspaceId))
      .orderBy(asc(secrets.name))
      .limit(MAX_SECRETS_PER_WORKSPACE);
  }

  async delete(workspaceId: string, name: string): Promise<void> {
    const deleted = await this.db.orm
      .delete(secrets)
      .where(and(eq(secrets.workspaceId, workspaceId), eq(secrets.name, name)))
      .returning({ id: secrets.id });
    if (deleted.length === 0) throw new DuetError('not_found', `secret "${name}" does not exist in this workspace`);
  }

  /** The clear values of the named secrets that exist; a name that does not is absent from the map. */
  async resolve(workspaceId: string, names: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(names)];
    if (wanted.length === 0) return new Map();
    const rows = await this.db.orm
      .select({ name: secrets.name, sealed: secrets.sealed })
      .from(secrets)
      .where(and(eq(secrets.workspaceId, workspaceId), inArray(secrets.name, wanted)));
    return new Map(rows.map((row) => [row.name, this.open(workspaceId, row.name, row.sealed)]));
  }
}
