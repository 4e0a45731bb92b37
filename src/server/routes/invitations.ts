import { z } from 'zod';
import type { Auth } from '../../auth/better-auth.ts';
import { ROLES } from '../../model/roles.ts';
import { DuetError } from '../../model/errors.ts';
import type { Mailer } from '../../net/mailer.ts';
import type { Database } from '../../store/db.ts';
import {
  createInvitation,
  listInvitations,
  markAccepted,
  openInvitation,
  revokeInvitation,
} from '../../store/invitations.ts';
import { upsertMember } from '../../store/members.ts';
import { findWorkspace } from '../../store/workspaces.ts';
import {
  createPasswordUser,
  emailSchema,
  findUserByEmail,
  nameSchema,
  passwordSchema,
  type SignInLockout,
} from '../../store/users.ts';
import { ownOrigin, refuseLocked, signInCookies } from '../sign-in.ts';
import type { ZodApp } from '../zod.ts';

const inviteBody = z.strictObject({ email: emailSchema, role: z.enum(ROLES) });
const idParams = z.strictObject({ id: z.string().uuid() });
const tokenParams = z.strictObject({ token: z.string().min(20).max(100) });
const acceptBody = z.strictObject({ password: z.string().min(1).max(128), name: nameSchema.optional() });

/** The email an invitation sends when a mailer is configured. */
function invitationMail(to: string, workspaceName: string, role: string, invitedBy: string | undefined, link: string) {
  return {
    to,
    subject: `You are invited to ${workspaceName} on Duet`,
    text: [
      `${invitedBy ?? 'An admin'} invited you to the workspace "${workspaceName}" on Duet, as ${role}.`,
      '',
      `Open this link to accept (it works once):`,
      link,
      '',
      'If you did not expect this, ignore this email.',
    ].join('\n'),
  };
}

/**
 * Admins invite people by email; the link carries a one-time token (only its hash is stored). With a mailer
 * (SMTP_URL) the link is emailed; either way it is returned to the admin, who can pass it on. The invitation is
 * stored before the email goes out, and a failed delivery says so without undoing it.
 */
export async function invitationRoutes(
  app: ZodApp,
  opts: { db: Database; auth: Auth; lockout: SignInLockout; publicUrl?: string; mailer?: Mailer },
) {
  const { db, auth } = opts;
  const tags = ['members'];

  app.get(
    '/api/v1/invitations',
    { config: { access: 'workspace.admin' }, schema: { tags, summary: 'Invitations of this workspace, newest first' } },
    async (request) => ({ items: await listInvitations(db, request.workspaceId) }),
  );

  app.post(
    '/api/v1/invitations',
    {
      config: { access: 'workspace.admin' },
      schema: { tags, summary: 'Invite someone by email with a role; answers with the link to send', body: inviteBody },
    },
    async (request, reply) => {
      const body = request.body;
      const invitedBy = request.principal?.kind === 'user' ? request.principal.email : request.principal?.name;
      const { invitation, token } = await createInvitation(db, {
        workspaceId: request.workspaceId,
        ...body,
        ...(invitedBy ? { invitedBy } : {}),
      });
      const link = `${opts.publicUrl ?? ownOrigin(request)}/invite/${token}`;
      if (!opts.mailer) {
        request.log.info(
          { email: body.email, role: body.role, link },
          'invitation created; no mailer is configured (SMTP_URL), so send this link to the person',
        );
        return reply.status(201).send({ ...invitation, link, emailed: false });
      }
      const workspace = await findWorkspace(db.orm, request.workspaceId);
      try {
        await opts.mailer.send(invitationMail(body.email, workspace?.name ?? 'Duet', body.role, invitedBy, link));
        return reply.status(201).send({ ...invitation, link, emailed: true });
      } catch (error) {
        request.log.warn({ err: error, email: body.email }, 'the invitation email could not be sent');
        return reply.status(201).send({
          ...invitation,
          link,
          emailed: false,
          emailError: `the invitation email could not be sent (${(error as Error).message})`,
        });
      }
    },
  );

  app.delete(
    '/api/v1/invitations/:id',
    { config: { access: 'workspace.admin' }, schema: { tags, summary: 'Revoke an open invitation', params: idParams } },
    async (request, reply) => {
      await revokeInvitation(db, request.workspaceId, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/invitations/accept/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'What an invitation link offers (workspace, role, email, whether the account exists)',
        params: tokenParams,
      },
    },
    async (request) => {
      const invitation = await openInvitation(db.orm, request.params.token);
      return {
        workspaceName: invitation.workspaceName,
        email: invitation.email,
        role: invitation.role,
        accountExists: Boolean(await findUserByEmail(db.orm, invitation.email)),
      };
    },
  );

  app.post(
    '/api/v1/invitations/accept/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Accept an invitation: creates the account (or checks the password of the existing one), joins the workspace, signs in',
        params: tokenParams,
        body: acceptBody,
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      const body = request.body;
      const invitation = await openInvitation(db.orm, token);
      const email = emailSchema.parse(invitation.email);
      const existing = await findUserByEmail(db.orm, email);
      if (!existing) {
        const checked = passwordSchema.safeParse(body.password);
        if (!checked.success) throw new DuetError('validation_failed', `password ${checked.error.issues[0]!.message}`);
      }
      // An existing account proves itself by signing in before it joins anything; the lockout counts those tries too.
      if (existing) await refuseLocked(opts.lockout, email, reply);
      const cookies = existing
        ? await signInCookies(auth, request, { email, password: body.password }).catch(async (error: unknown) => {
            await opts.lockout.failed(email);
            throw error;
          })
        : undefined;
      if (existing) await opts.lockout.succeeded(email);
      const user = await db.orm.transaction(async (tx) => {
        const fresh = await openInvitation(tx, token);
        const member =
          existing ??
          (await createPasswordUser(tx, { email, password: body.password, ...(body.name ? { name: body.name } : {}) }));
        await upsertMember(tx, fresh.workspaceId, member.id, fresh.role as (typeof ROLES)[number]);
        await markAccepted(tx, fresh.id);
        return member;
      });
      request.workspaceId = invitation.workspaceId;
      request.auditActor = { type: 'user', id: user.id, label: user.email };
      return reply
        .status(201)
        .header('set-cookie', cookies ?? (await signInCookies(auth, request, { email, password: body.password })))
        .send({ workspaceId: invitation.workspaceId, role: invitation.role, email });
    },
  );
}
