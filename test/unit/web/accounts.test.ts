import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, ROLES } from '../../../src/model/roles.ts';
import { PASSWORD_MAX as SERVER_MAX, PASSWORD_MIN as SERVER_MIN } from '../../../src/store/users.ts';
import {
  newPasswordProblem,
  PASSWORD_MAX,
  PASSWORD_MIN,
  ROLE_HINTS,
  signInErrorText,
} from '../../../web/src/account/account-logic.ts';
import { ApiError } from '../../../web/src/lib/api.ts';
import { matchRoute, safeNext, signInPath } from '../../../web/src/lib/router.ts';
import {
  appendPage,
  auditActor,
  invitationStatus,
  secretNameProblem,
  secretReference,
  shortId,
  type AuditItem,
  type Invitation,
} from '../../../web/src/settings/settings-logic.ts';

describe('account routes', () => {
  it('knows the sign-in, first-run, invitation and settings pages', () => {
    expect(matchRoute('/sign-in', '?next=%2Fworkflows')).toEqual({ page: 'sign-in', next: '/workflows' });
    expect(matchRoute('/setup')).toEqual({ page: 'setup', next: '/' });
    expect(matchRoute('/invite/abc_DEF-123')).toEqual({ page: 'invite', token: 'abc_DEF-123' });
    expect(matchRoute('/settings')).toEqual({ page: 'settings', section: 'members' });
    expect(matchRoute('/settings/api-keys')).toEqual({ page: 'settings', section: 'api-keys' });
    expect(matchRoute('/settings/nope').page).toBe('not-found');
  });

  it('returns after sign-in only to a page of this app, never elsewhere or to a sign-in page', () => {
    expect(safeNext('/executions?status=failed')).toBe('/executions?status=failed');
    for (const hostile of [
      '//evil.example',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
      null,
      undefined,
    ])
      expect(safeNext(hostile)).toBe('/');
    expect(safeNext('/sign-in?next=/x')).toBe('/');
    expect(safeNext('/invite/token')).toBe('/');
    expect(signInPath({ pathname: '/workflows/a b', search: '?x=1' })).toBe(
      `/sign-in?next=${encodeURIComponent('/workflows/a b?x=1')}`,
    );
    expect(signInPath({ pathname: '/', search: '' })).toBe('/sign-in');
    expect(signInPath({ pathname: '/sign-in', search: '?next=/x' })).toBe('/sign-in');
  });
});

describe('account forms', () => {
  it('checks a new password as the server does, and its repetition', () => {
    expect([PASSWORD_MIN, PASSWORD_MAX]).toEqual([SERVER_MIN, SERVER_MAX]);
    expect(newPasswordProblem('short', 'short')).toMatch(/at least 12/);
    expect(newPasswordProblem('x'.repeat(129), 'x'.repeat(129))).toMatch(/at most 128/);
    expect(newPasswordProblem('long enough password', 'long enough passw0rd')).toMatch(/differ/);
    expect(newPasswordProblem('long enough password', 'long enough password')).toBeNull();
  });

  it('says a wrong password plainly and keeps the lockout message with its wait', () => {
    expect(signInErrorText(null)).toBeNull();
    expect(signInErrorText(new ApiError(401, 'INVALID_EMAIL_OR_PASSWORD', 'Invalid email or password'))).toBe(
      'Wrong email or password. Check both and try again.',
    );
    expect(
      signInErrorText(new ApiError(429, 'rate_limited', 'this account is locked; try again in 15 minute(s)')),
    ).toContain('15 minute');
  });

  it('describes every role the server knows', () => {
    expect(Object.keys(ROLE_HINTS).sort()).toEqual([...ROLES].sort());
    // The UI hides controls with the server's own matrix: a viewer starts runs but neither edits nor steers.
    expect(PERMISSIONS.filter((p) => can('viewer', p))).toEqual([
      'workflows.read',
      'executions.read',
      'executions.start',
      'conversations.use',
      'knowledge.read',
      'tasks.read',
    ]);
  });
});

describe('settings helpers', () => {
  const invitation = (patch: Partial<Invitation>): Invitation => ({
    id: '1',
    email: 'a@example.com',
    role: 'viewer',
    invitedBy: null,
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: '2026-01-08T00:00:00Z',
    acceptedAt: null,
    revokedAt: null,
    ...patch,
  });

  it("tells an invitation's status", () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(invitationStatus(invitation({}), now)).toBe('open');
    expect(invitationStatus(invitation({ acceptedAt: '2026-01-01T01:00:00Z' }), now)).toBe('accepted');
    expect(invitationStatus(invitation({ revokedAt: '2026-01-01T01:00:00Z' }), now)).toBe('revoked');
    expect(invitationStatus(invitation({}), Date.parse('2026-01-09T00:00:00Z'))).toBe('expired');
  });

  it('checks secret names like the server and shows how workflows read them', () => {
    expect(secretNameProblem('STRIPE_KEY')).toBeNull();
    for (const bad of ['', 'stripe', '1KEY', 'A-B', `A${'B'.repeat(64)}`])
      expect(secretNameProblem(bad), bad).not.toBeNull();
    expect(secretReference('STRIPE_KEY')).toBe('{{secrets.STRIPE_KEY}}');
  });

  it('names the actor of an audit entry and appends further pages without repeats', () => {
    const entry = (patch: Partial<AuditItem>): AuditItem => ({
      id: 'a',
      actorType: 'user',
      actorId: 'u',
      actorLabel: 'ana@example.com',
      action: 'POST /api/v1/workflows',
      resourceType: 'workflows',
      resourceId: null,
      ip: '127.0.0.1',
      outcome: 'success',
      statusCode: 201,
      at: '2026-01-01T00:00:00Z',
      ...patch,
    });
    expect(auditActor(entry({}))).toBe('ana@example.com');
    expect(auditActor(entry({ actorType: 'api_key', actorLabel: 'ci' }))).toBe('API key "ci"');
    expect(auditActor(entry({ actorType: 'anonymous', actorLabel: null }))).toBe('anonymous');
    expect(shortId('12a2dbd3-e34d-43dc-9b9d-e1a4e7ee74bd')).toBe('12a2dbd3');
    expect(shortId('STRIPE_KEY')).toBe('STRIPE_KEY');
    expect(
      appendPage([entry({ id: '1' }), entry({ id: '2' })], [entry({ id: '2' }), entry({ id: '3' })]).map((e) => e.id),
    ).toEqual(['1', '2', '3']);
  });
});
