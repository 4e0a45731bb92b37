import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { DuetError } from '../model/errors.ts';
import type { Database, Orm } from './db.ts';
import { upsertMember } from './members.ts';
import { authAccounts, sessions, signInFailures, users } from './schema.ts';
import { DEFAULT_WORKSPACE_SLUG, findWorkspace } from './workspaces.ts';

export type User = typeof users.$inferSelect;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .email('must be an email address such as ada@example.com');
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters (a few words work well)`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);
export const nameSchema = z.string().trim().min(1).max(200);

export interface NewUser {
  email: string;
  password: string;
  name?: string;
  instanceAdmin?: boolean;
}

/** Public fields of a user: never the password hash. */
export const publicUser = (u: User) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  instanceAdmin: u.instanceAdmin,
  createdAt: u.createdAt,
});

/**
 * Creates a user who signs in with email and password (better-auth's `credential` account, scrypt hash). An
 * instance admin is also made admin of the default workspace. Runs inside the caller's transaction when given one.
 */
export async function createPasswordUser(orm: Orm, input: NewUser): Promise<User> {
  const email = emailSchema.parse(input.email);
  const password = passwordSchema.parse(input.password);
  const [taken] = await orm.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (taken)
    throw new DuetError(
      'conflict',
      `an account with email ${email} already exists; sign in instead, or pick another email`,
    );
  const id = randomUUID();
  const [user] = await orm
    .insert(users)
    .values({
      id,
      email,
      name: input.name?.trim() || email.split('@')[0]!,
      instanceAdmin: input.instanceAdmin ?? false,
    })
    .returning();
  await orm.insert(authAccounts).values({
    id: randomUUID(),
    userId: id,
    accountId: id,
    providerId: 'credential',
    password: await hashPassword(password),
  });
  const fallback = input.instanceAdmin ? await findWorkspace(orm, DEFAULT_WORKSPACE_SLUG) : undefined;
  if (fallback) await upsertMember(orm, fallback.id, id, 'admin');
  return user!;
}

export async function countUsers(orm: Orm): Promise<number> {
  const [row] = await orm.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export async function findUserByEmail(orm: Orm, email: string): Promise<User | undefined> {
  const [row] = await orm.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row;
}

export async function findUser(orm: Orm, id: string): Promise<User | undefined> {
  const [row] = await orm.select().from(users).where(eq(users.id, id));
  return row;
}

/** A password for an account reset by an admin: 18 random bytes, shown once. */
export const generatedPassword = () => randomBytes(18).toString('base64url');

/**
 * Gives an account a new password (its credential account is made if it signed in with GitHub or Google only),
 * ends every session it has and lifts its sign-in lockout: whoever had the old password is out.
 */
export async function resetPassword(db: Database, userId: string, password: string): Promise<User> {
  const checked = passwordSchema.parse(password);
  const hash = await hashPassword(checked);
  return db.orm.transaction(async (tx) => {
    const user = await findUser(tx, userId);
    if (!user) throw new DuetError('not_found', `there is no account with id ${userId}`);
    const updated = await tx
      .update(authAccounts)
      .set({ password: hash, updatedAt: new Date() })
      .where(and(eq(authAccounts.userId, userId), eq(authAccounts.providerId, 'credential')))
      .returning({ id: authAccounts.id });
    if (updated.length === 0)
      await tx
        .insert(authAccounts)
        .values({ id: randomUUID(), userId, accountId: userId, providerId: 'credential', password: hash });
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(signInFailures).where(eq(signInFailures.emailHash, emailKey(user.email)));
    return user;
  });
}

const emailKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/**
 * Lockout after repeated failed password sign-ins, counted per email tried: an unknown email locks exactly like a
 * known one. Counters idle longer than the lock time are pruned now and then, so guessing emails cannot grow the
 * table without bound (the per-address limit on refused requests bounds the rate).
 */
export class SignInLockout {
  constructor(
    private readonly db: Database,
    private readonly attempts: number,
    private readonly lockMs: number,
  ) {}

  /** Milliseconds the email stays locked, or 0. */
  async lockedFor(email: string, now = new Date()): Promise<number> {
    const [row] = await this.db.orm
      .select({ lockedUntil: signInFailures.lockedUntil })
      .from(signInFailures)
      .where(eq(signInFailures.emailHash, emailKey(email)));
    return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil.getTime() - now.getTime() : 0;
  }

  /** Counts a failure; the attempt that reaches the limit locks the email and restarts the count. */
  async failed(email: string, now = new Date()): Promise<void> {
    const reaches = sql`${signInFailures.failed} + 1 >= ${this.attempts}`;
    await this.db.orm
      .insert(signInFailures)
      .values({
        emailHash: emailKey(email),
        failed: this.attempts <= 1 ? 0 : 1,
        lockedUntil: this.attempts <= 1 ? new Date(now.getTime() + this.lockMs) : null,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: signInFailures.emailHash,
        set: {
          failed: sql`case when ${reaches} then 0 else ${signInFailures.failed} + 1 end`,
          lockedUntil: sql`case when ${reaches} then ${new Date(now.getTime() + this.lockMs)} else ${signInFailures.lockedUntil} end`,
          updatedAt: now,
        },
      });
    if (Math.random() < PRUNE_CHANCE) await this.prune(now);
  }

  async succeeded(email: string): Promise<void> {
    await this.db.orm.delete(signInFailures).where(eq(signInFailures.emailHash, emailKey(email)));
  }

  /** Forgets counters idle longer than the lock time that lock nothing. */
  async prune(now = new Date()): Promise<void> {
    const idleSince = new Date(now.getTime() - this.lockMs);
    await this.db.orm
      .delete(signInFailures)
      .where(
        and(
          lt(signInFailures.updatedAt, idleSince),
          or(isNull(signInFailures.lockedUntil), lt(signInFailures.lockedUntil, now)),
        ),
      );
  }
}

/** One failure in this many also prunes idle counters. */
const PRUNE_CHANCE = 0.01;
