import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { ROLES, type Role } from '../../src/model/roles.ts';
import type { RouteAccess } from '../../src/server/plugins/auth.ts';
import { listApiKeys } from '../../src/store/api-keys.ts';
import { listInvitations } from '../../src/store/invitations.ts';
import { roleIn } from '../../src/store/members.ts';
import { authAccounts } from '../../src/store/schema.ts';
import {
  addKey,
  addUser,
  addWorkspace,
  bearer,
  browser,
  freshEmail,
  PASSWORD,
  SAME_ORIGIN,
  signIn,
  type TestUser,
} from './accounts.ts';
import { startTestApp, type TestApp } from './app.ts';
import { tinyGraph } from './fixtures.ts';
import type { Json } from './http.ts';
import { edge, node, publish, start, until } from './workflows.ts';

/**
 * The world the role × route matrix and the audit tests call every route in: workspace A (the default one) with
 * real resources, a second workspace B, and one caller of each kind. Routes that change or remove what they
 * address get a fresh resource for every call, so an allowed call gets a real 2xx (or a 409 for a state that
 * does not allow the command) and a refused one can be checked to have changed nothing.
 */

export interface Caller {
  name: string;
  kind: 'anonymous' | 'api_key' | 'user' | 'operator';
  /** The workspace the caller belongs to; A holds the resources every route is called with. */
  workspace: 'A' | 'B' | null;
  role?: Role;
  instanceAdmin?: boolean;
  headers: Record<string, string>;
  /** Who the audit log must name for this caller. */
  actor: { type: 'user' | 'api_key' | 'anonymous'; id: string | null; label: string | null };
}

export interface Call {
  route: RouteAccess;
  caller: Caller;
  url: string;
  params: Record<string, string>;
  status: number;
  body: string;
  json(): Json;
  /** For a route that changes what it addresses: whether that resource is still as it was. */
  intact?: () => Promise<boolean>;
}

interface Prepared {
  params?: Record<string, string>;
  query?: string;
  payload?: unknown;
  intact?: () => Promise<boolean>;
}

export interface World {
  t: TestApp;
  adminToken: string;
  A: {
    workspaceId: string;
    workflowId: string;
    slug: string;
    executionId: string;
    conversationId: string;
    inviteToken: string;
    triggerId: string;
    knowledgeBaseId: string;
    documentId: string;
  };
  B: { workspaceId: string };
  callers: Caller[];
  /** Every password, API key, invitation token and session cookie the world handed out. */
  secrets: string[];
  /** Calls a route as a caller; undefined when the route needs a fixture nobody wrote yet. */
  call(route: RouteAccess, caller: Caller): Promise<Call | undefined>;
  close(): Promise<void>;
}

/** start → approval → done: every execution of it waits for a decision, so commands have something to act on. */
export const approvalGraph = (name = 'Matrix approval') => ({
  name,
  nodes: [
    node('start', 'start'),
    node('ask', 'approval', { prompt: 'Go ahead?' }),
    node('done', 'response', { output: { ok: true } }),
  ],
  edges: [edge('start', 'ask'), edge('ask', 'done', 'approved')],
});

/** `/api/v1/workflows/:id` with params filled in; `*` gets `params['*']` or `x`. */
function fill(url: string, params: Record<string, string>): string {
  return url
    .replace(/:(\w+)/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`no value for :${name} in ${url}`);
      return encodeURIComponent(value);
    })
    .replace('*', params['*'] ?? 'x');
}

/** Routes whose body names a resource of workspace A (the conversation's workflow). */
const BODY_NAMES_RESOURCE = new Set(['POST /api/v1/conversations']);

/**
 * Routes that create-or-replace by a name chosen by the caller: in another workspace the same name is that
 * workspace's own resource, so B's call succeeds there and A's stays untouched (checked by the fixture's `intact`).
 * A template id names no workspace's resource: B's call creates B's own workflow.
 */
const NAMED_IN_CALLERS_WORKSPACE = new Set(['PUT /api/v1/secrets/:name', 'POST /api/v1/templates/:id/workflows']);

/** Routes over what every workspace shares (the shipped templates): B seeing the same items as A is no leak. */
export const SHARED_BY_EVERY_WORKSPACE = new Set(['GET /api/v1/templates', 'POST /api/v1/templates/:id/workflows']);

/** A call addresses a resource of A when the route's URL has a parameter or a wildcard, or its body names one. */
export const addressesResource = (route: RouteAccess) =>
  !NAMED_IN_CALLERS_WORKSPACE.has(`${route.method} ${route.url}`) &&
  (/[:*]/.test(route.url) || BODY_NAMES_RESOURCE.has(`${route.method} ${route.url}`));

/** Non-public routes that take parameters or a body cannot be called meaningfully without a fixture. */
const needsFixture = (route: RouteAccess) =>
  route.access !== 'public' && (/[:*]/.test(route.url) || route.method !== 'GET');

export async function buildWorld(): Promise<World> {
  const adminToken = `operator-${randomBytes(16).toString('hex')}`;
  const t = await startTestApp({
    ADMIN_TOKEN: adminToken,
    CHAT_MESSAGES_PER_MINUTE: '1000',
    // SMS configured, so sending is allowed; the provider is unreachable, so nothing leaves (messages stay queued).
    TWILIO_ACCOUNT_SID: 'AC0123',
    TWILIO_AUTH_TOKEN: 'matrix-auth-token',
    TWILIO_FROM: '+15005550006',
    TWILIO_BASE_URL: 'http://127.0.0.1:9',
  });
  const { app, db } = t;
  const A = t.workspaceId;
  const secrets: string[] = [PASSWORD, t.key, adminToken];
  const admin = (options: InjectOptions) => app.inject(options);
  const ok = async (options: InjectOptions, status: number) => {
    const response = await admin(options);
    if (response.statusCode !== status)
      throw new Error(`${options.method} ${options.url} answered ${response.statusCode}: ${response.body}`);
    return response.json<Json>();
  };

  const slug = await publish(app, approvalGraph());
  const workflowId = (await ok({ method: 'GET', url: `/api/v1/workflows/${slug}` }, 200)).id as string;
  const freshExecution = async () => {
    const started = await start(app, slug);
    return (await until(app, started.body.id, ['waiting'])).id as string;
  };
  const freshWorkflow = async () =>
    (await ok(
      { method: 'POST', url: '/api/v1/workflows', payload: tinyGraph(`Doomed ${randomUUID().slice(0, 8)}`) },
      201,
    )) as { id: string; name: string };
  const freshConversation = async () =>
    (await ok({ method: 'POST', url: '/api/v1/conversations', payload: { workflowId: slug } }, 201)).id as string;
  const freshInvitation = async () => {
    const made = await ok(
      { method: 'POST', url: '/api/v1/invitations', payload: { email: freshEmail('invitee'), role: 'viewer' } },
      201,
    );
    const token = String(made.link).split('/invite/')[1]!;
    secrets.push(token);
    return { id: made.id as string, token };
  };
  const executionIs = (id: string, status: string) => async () =>
    (await admin({ method: 'GET', url: `/api/v1/executions/${id}` })).json().status === status;
  const workflowNamed = (id: string, name: string) => async () =>
    (await admin({ method: 'GET', url: `/api/v1/workflows/${id}` })).json().name === name;
  const unpublished = (id: string) => async () =>
    (await admin({ method: 'GET', url: `/api/v1/workflows/${id}` })).json().latestVersion === null;
  const conversationExists = (id: string) => async () =>
    (await admin({ method: 'GET', url: `/api/v1/conversations/${id}` })).statusCode === 200;
  const passwordHashOf = async (userId: string) =>
    (await db.orm.select({ hash: authAccounts.password }).from(authAccounts).where(eq(authAccounts.userId, userId)))[0]
      ?.hash;
  const secretNames = async () =>
    ((await admin({ method: 'GET', url: '/api/v1/secrets' })).json().items as Array<{ name: string }>).map(
      (x) => x.name,
    );
  const freshSecret = async () => {
    const name = `TOKEN_${randomBytes(4).toString('hex').toUpperCase()}`;
    const value = `secret-value-${randomUUID()}`;
    secrets.push(value);
    return { name, value };
  };
  const freshTrigger = async () =>
    (
      await ok(
        {
          method: 'POST',
          url: `/api/v1/workflows/${workflowId}/triggers`,
          payload: { type: 'schedule', config: { cron: '0 3 * * *' } },
        },
        201,
      )
    ).id as string;
  const triggerEnabled = (id: string) => async () =>
    (await admin({ method: 'GET', url: `/api/v1/triggers/${id}` })).json().enabled === true;
  const freshBase = async () =>
    (await ok({ method: 'POST', url: '/api/v1/knowledge-bases', payload: { name: `Base ${randomUUID()}` } }, 201))
      .id as string;
  const freshDocument = async (baseId: string) =>
    (
      (
        await ok(
          {
            method: 'POST',
            url: `/api/v1/knowledge-bases/${baseId}/documents`,
            payload: { title: 'Opening hours', text: 'The office opens at nine and closes at five.' },
          },
          202,
        )
      ).items as Array<{ id: string }>
    )[0]!.id;
  const baseName = (id: string) => async () =>
    (await admin({ method: 'GET', url: `/api/v1/knowledge-bases/${id}` })).json().name as string | undefined;
  const documentIds = (baseId: string) => async () =>
    (
      (await admin({ method: 'GET', url: `/api/v1/knowledge-bases/${baseId}/documents` })).json().items as Array<{
        id: string;
      }>
    ).map((d) => d.id);
  const freshTask = async () =>
    (await ok({ method: 'POST', url: '/api/v1/tasks', payload: { title: `Task ${randomUUID().slice(0, 8)}` } }, 201))
      .id as string;
  const taskIs = (id: string, status: string) => async () =>
    (await admin({ method: 'GET', url: `/api/v1/tasks/${id}` })).json().status === status;
  // A holds a secret, so B's empty secret list proves something.
  const kept = await freshSecret();
  await ok({ method: 'PUT', url: `/api/v1/secrets/${kept.name}`, payload: { value: kept.value } }, 201);

  let phones = 0;
  const freshPhone = () => `+1555${String(++phones).padStart(7, '0')}`;
  const freshContact = async () =>
    (await ok({ method: 'POST', url: '/api/v1/channels/sms/contacts', payload: { phone: freshPhone() } }, 201))
      .phone as string;
  const contactExists = (phone: string) => async () =>
    ((await admin({ method: 'GET', url: '/api/v1/channels/sms/contacts' })).json().items as Json[]).some(
      (c) => c.phone === phone,
    );
  // A has a contact and a message, so B's empty lists prove something.
  await freshContact();
  const smsMessageId = (
    await ok({ method: 'POST', url: '/api/v1/channels/sms/messages', payload: { to: freshPhone(), text: 'hi' } }, 202)
  ).items[0].id as string;

  const shared = {
    triggerId: await freshTrigger(),
    knowledgeBaseId: await freshBase(),
    documentId: '',
    executionId: await freshExecution(),
    conversationId: await freshConversation(),
    inviteToken: (await freshInvitation()).token,
    taskId: await freshTask(),
  };
  shared.documentId = await freshDocument(shared.knowledgeBaseId);
  const probe = await addUser(db, { email: freshEmail('probe') });

  const control = (payload?: unknown, nodeId?: string) => async (): Promise<Prepared> => {
    const id = await freshExecution();
    return {
      params: { id, ...(nodeId ? { nodeId } : {}) },
      ...(payload ? { payload } : {}),
      intact: executionIs(id, 'waiting'),
    };
  };
  const fixtures: Record<string, () => Promise<Prepared>> = {
    'GET /api/auth/*': async () => ({ params: { '*': 'get-session' } }),
    'POST /api/auth/*': async () => ({
      params: { '*': 'sign-in/email' },
      payload: { email: probe.email, password: PASSWORD },
    }),
    'POST /api/v1/setup': async () => ({ payload: { email: freshEmail('setup'), password: PASSWORD } }),
    'PATCH /api/v1/members/:userId': async () => {
      const user = await addUser(db, { member: { workspaceId: A, role: 'viewer' } });
      return {
        params: { userId: user.id },
        payload: { role: 'editor' },
        intact: async () => (await roleIn(db, A, user.id)) === 'viewer',
      };
    },
    'DELETE /api/v1/members/:userId': async () => {
      const user = await addUser(db, { member: { workspaceId: A, role: 'viewer' } });
      return { params: { userId: user.id }, intact: async () => (await roleIn(db, A, user.id)) === 'viewer' };
    },
    'POST /api/v1/invitations': async () => ({ payload: { email: freshEmail('invited'), role: 'viewer' } }),
    'DELETE /api/v1/invitations/:id': async () => {
      const { id } = await freshInvitation();
      return {
        params: { id },
        intact: async () => (await listInvitations(db, A)).find((i) => i.id === id)?.revokedAt === null,
      };
    },
    'GET /api/v1/invitations/accept/:token': async () => ({ params: { token: shared.inviteToken } }),
    'POST /api/v1/invitations/accept/:token': async () => ({
      params: { token: (await freshInvitation()).token },
      payload: { password: PASSWORD },
    }),
    'POST /api/v1/api-keys': async () => ({ payload: { name: 'made in the matrix', role: 'viewer' } }),
    'DELETE /api/v1/api-keys/:id': async () => {
      const { id, key } = await addKey(db, A, 'viewer');
      secrets.push(key);
      return {
        params: { id },
        intact: async () => (await listApiKeys(db, A)).find((k) => k.id === id)?.revokedAt === null,
      };
    },
    'POST /api/v1/workflows': async () => ({ payload: tinyGraph(`Made ${randomUUID().slice(0, 8)}`) }),
    'GET /api/v1/workflows/:id': async () => ({ params: { id: workflowId } }),
    'PUT /api/v1/workflows/:id': async () => {
      const { id, name } = await freshWorkflow();
      return { params: { id }, payload: tinyGraph(`${name} renamed`), intact: workflowNamed(id, name) };
    },
    'DELETE /api/v1/workflows/:id': async () => {
      const { id, name } = await freshWorkflow();
      return { params: { id }, intact: workflowNamed(id, name) };
    },
    'POST /api/v1/workflows/:id/versions': async () => {
      const { id } = await freshWorkflow();
      return { params: { id }, intact: unpublished(id) };
    },
    'GET /api/v1/workflows/:id/versions': async () => ({ params: { id: workflowId } }),
    'GET /api/v1/workflows/:id/versions/:n': async () => ({ params: { id: workflowId, n: '1' } }),
    'POST /api/v1/workflows/import': async () => ({ payload: tinyGraph(`Imported ${randomUUID().slice(0, 8)}`) }),
    'GET /api/v1/workflows/:id/export': async () => ({ params: { id: workflowId } }),
    'GET /api/v1/templates': async () => ({}),
    'POST /api/v1/templates/:id/workflows': async () => ({ params: { id: 'onboarding' } }),
    'GET /api/v1/workflows/:id/journey': async () => ({ params: { id: workflowId } }),
    'POST /api/v1/workspaces': async () => ({ payload: { slug: `made-${randomUUID().slice(0, 8)}` } }),
    'POST /api/v1/workflows/:id/executions': async () => ({ params: { id: workflowId }, payload: { input: {} } }),
    'GET /api/v1/executions/:id': async () => ({ params: { id: shared.executionId } }),
    'GET /api/v1/executions/:id/events': async () => ({ params: { id: shared.executionId }, query: 'after=0' }),
    'POST /api/v1/executions/:id/pause': control(),
    'POST /api/v1/executions/:id/resume': control(),
    'POST /api/v1/executions/:id/cancel': control(),
    'POST /api/v1/executions/:id/steps/:nodeId/retry': control(undefined, 'ask'),
    'POST /api/v1/executions/:id/steps/:nodeId/skip': control(undefined, 'ask'),
    'POST /api/v1/executions/:id/input': control({ values: {} }),
    'POST /api/v1/executions/:id/approval': control({ decision: 'approve' }),
    'POST /api/v1/conversations': async () => ({ payload: { workflowId: slug } }),
    'POST /api/v1/conversations/:id/messages': async () => ({
      params: { id: await freshConversation() },
      payload: { text: 'help' },
    }),
    'GET /api/v1/conversations/:id': async () => ({ params: { id: shared.conversationId } }),
    'PATCH /api/v1/conversations/:id': async () => ({
      params: { id: await freshConversation() },
      payload: { knowledgeBaseId: null },
    }),
    'DELETE /api/v1/conversations/:id': async () => {
      const id = await freshConversation();
      return { params: { id }, intact: conversationExists(id) };
    },
    'POST /api/v1/admin/backup': async () => ({}),
    'POST /api/v1/admin/users/:userId/password': async () => {
      const user = await addUser(db);
      const before = await passwordHashOf(user.id);
      return { params: { userId: user.id }, intact: async () => (await passwordHashOf(user.id)) === before };
    },
    'GET /api/v1/workflows/:id/triggers': async () => ({ params: { id: workflowId } }),
    'POST /api/v1/workflows/:id/triggers': async () => ({
      params: { id: workflowId },
      payload: { type: 'schedule', config: { cron: '@hourly' } },
    }),
    'GET /api/v1/triggers/:id': async () => ({ params: { id: shared.triggerId } }),
    'PATCH /api/v1/triggers/:id': async () => {
      const id = await freshTrigger();
      return { params: { id }, payload: { enabled: false }, intact: triggerEnabled(id) };
    },
    'DELETE /api/v1/triggers/:id': async () => {
      const id = await freshTrigger();
      return { params: { id }, intact: triggerEnabled(id) };
    },
    // Public: no hook at this address, so every caller gets the same 404 (webhooks have their own tests).
    'POST /hooks/:workspaceSlug/:path': async () => ({ params: { workspaceSlug: 'default', path: 'no-such-hook' } }),
    'GET /hooks/:workspaceSlug/:path': async () => ({ params: { workspaceSlug: 'default', path: 'no-such-hook' } }),
    'PUT /api/v1/channels/sms': async () => ({ payload: { unknownReply: 'Who is this?' } }),
    'POST /api/v1/channels/sms/contacts': async () => ({ payload: { phone: freshPhone() } }),
    'DELETE /api/v1/channels/sms/contacts/:phone': async () => {
      const phone = await freshContact();
      return { params: { phone }, intact: contactExists(phone) };
    },
    'GET /api/v1/channels/sms/messages/:id': async () => ({ params: { id: smsMessageId } }),
    'POST /api/v1/channels/sms/messages': async () => ({ payload: { to: freshPhone(), text: 'hello' } }),
    // Public: no workspace at this address, so every caller gets the same 404 (SMS webhooks have their own tests).
    'POST /channels/sms/:workspaceSlug': async () => ({ params: { workspaceSlug: 'no-such-workspace' }, payload: {} }),
    'POST /channels/sms/:workspaceSlug/status': async () => ({
      params: { workspaceSlug: 'no-such-workspace' },
      payload: {},
    }),
    // Public: no chat page at this address, so every caller gets the same 404 (chat pages have their own tests).
    'GET /c/:workspaceSlug/:slug': async () => ({ params: { workspaceSlug: 'default', slug: 'no-such-chat' } }),
    'POST /c/:workspaceSlug/:slug/session': async () => ({
      params: { workspaceSlug: 'default', slug: 'no-such-chat' },
    }),
    'POST /c/:workspaceSlug/:slug/messages': async () => ({
      params: { workspaceSlug: 'default', slug: 'no-such-chat' },
      payload: { text: 'hi' },
    }),
    'GET /c/:workspaceSlug/:slug/turns': async () => ({ params: { workspaceSlug: 'default', slug: 'no-such-chat' } }),
    'GET /api/v1/knowledge-bases/:id': async () => ({ params: { id: shared.knowledgeBaseId } }),
    'POST /api/v1/knowledge-bases': async () => ({ payload: { name: `Base ${randomUUID()}` } }),
    'PATCH /api/v1/knowledge-bases/:id': async () => {
      const id = await freshBase();
      const before = await baseName(id)();
      return {
        params: { id },
        payload: { name: `Renamed ${randomUUID()}` },
        intact: async () => (await baseName(id)()) === before,
      };
    },
    'DELETE /api/v1/knowledge-bases/:id': async () => {
      const id = await freshBase();
      return { params: { id }, intact: async () => (await baseName(id)()) !== undefined };
    },
    'POST /api/v1/knowledge-bases/:id/documents': async () => {
      const id = await freshBase();
      return {
        params: { id },
        payload: { title: 'Parking', text: 'Visitors park on level two.' },
        intact: async () => (await documentIds(id)()).length === 0,
      };
    },
    'GET /api/v1/knowledge-bases/:id/documents': async () => ({ params: { id: shared.knowledgeBaseId } }),
    'GET /api/v1/knowledge-bases/:id/documents/:docId': async () => ({
      params: { id: shared.knowledgeBaseId, docId: shared.documentId },
    }),
    'DELETE /api/v1/knowledge-bases/:id/documents/:docId': async () => {
      const id = await freshBase();
      const docId = await freshDocument(id);
      return { params: { id, docId }, intact: async () => (await documentIds(id)()).includes(docId) };
    },
    'GET /api/v1/knowledge-bases/:id/search': async () => ({
      params: { id: shared.knowledgeBaseId },
      query: 'q=when+does+the+office+open',
    }),
    'POST /api/v1/tasks': async () => ({ payload: { title: 'made in the matrix' } }),
    'GET /api/v1/tasks/:id': async () => ({ params: { id: shared.taskId } }),
    'PATCH /api/v1/tasks/:id': async () => {
      const id = await freshTask();
      return { params: { id }, payload: { status: 'done' }, intact: taskIs(id, 'open') };
    },
    'DELETE /api/v1/tasks/:id': async () => {
      const id = await freshTask();
      return { params: { id }, intact: taskIs(id, 'open') };
    },
    'PUT /api/v1/secrets/:name': async () => {
      const { name, value } = await freshSecret();
      return { params: { name }, payload: { value }, intact: async () => !(await secretNames()).includes(name) };
    },
    'DELETE /api/v1/secrets/:name': async () => {
      const { name, value } = await freshSecret();
      await ok({ method: 'PUT', url: `/api/v1/secrets/${name}`, payload: { value } }, 201);
      return { params: { name }, intact: async () => (await secretNames()).includes(name) };
    },
  };

  const B = await addWorkspace(db, 'workspace-b');
  const callers: Caller[] = [
    {
      name: 'anonymous',
      kind: 'anonymous',
      workspace: null,
      headers: {},
      actor: { type: 'anonymous', id: null, label: null },
    },
  ];
  for (const role of ROLES) {
    const key = await addKey(db, A, role, `A ${role} key`);
    secrets.push(key.key);
    callers.push({
      name: `A ${role} (key)`,
      kind: 'api_key',
      workspace: 'A',
      role,
      headers: bearer(key.key),
      actor: { type: 'api_key', id: key.id, label: key.name },
    });
  }
  const signedIn = async (
    name: string,
    workspace: Caller['workspace'],
    user: TestUser,
    extra: Partial<Caller> = {},
    headers: Record<string, string> = {},
  ): Promise<Caller> => {
    const cookie = await signIn(t.anonymous, user.email);
    secrets.push(...cookie.split('; ').map((c) => c.slice(c.indexOf('=') + 1)));
    return {
      name,
      kind: 'user',
      workspace,
      headers: { ...browser(cookie), ...headers },
      actor: { type: 'user', id: user.id, label: user.email },
      ...extra,
    };
  };
  for (const role of ROLES) {
    callers.push(
      await signedIn(
        `A ${role} (cookie)`,
        'A',
        await addUser(db, { email: freshEmail(`a-${role}`), member: { workspaceId: A, role } }),
        { role },
      ),
    );
  }
  // An instance admin belongs to no workspace and picks the one it acts in (creating workspaces makes it their admin).
  callers.push(
    await signedIn(
      'instance admin (cookie)',
      'A',
      await addUser(db, { email: freshEmail('root'), instanceAdmin: true }),
      { role: 'admin', instanceAdmin: true },
      { 'x-duet-workspace': A },
    ),
  );
  const bKey = await addKey(db, B, 'admin', 'B admin key');
  secrets.push(bKey.key);
  callers.push({
    name: 'B admin (key)',
    kind: 'api_key',
    workspace: 'B',
    role: 'admin',
    headers: bearer(bKey.key),
    actor: { type: 'api_key', id: bKey.id, label: bKey.name },
  });
  callers.push(
    await signedIn(
      'B admin (cookie)',
      'B',
      await addUser(db, { email: freshEmail('b-admin'), member: { workspaceId: B, role: 'admin' } }),
      { role: 'admin' },
    ),
  );
  callers.push({
    name: 'operator (ADMIN_TOKEN)',
    kind: 'operator',
    workspace: null,
    headers: bearer(adminToken),
    actor: { type: 'anonymous', id: null, label: null },
  });

  return {
    t,
    adminToken,
    secrets,
    callers,
    A: { workspaceId: A, workflowId, slug, ...shared },
    B: { workspaceId: B },
    async call(route, caller) {
      const fixture = fixtures[`${route.method} ${route.url}`];
      if (!fixture && needsFixture(route)) return undefined;
      const prepared = fixture ? await fixture() : {};
      const params = prepared.params ?? {};
      const url = fill(route.url, params) + (prepared.query ? `?${prepared.query}` : '');
      const response = await t.anonymous({
        method: route.method as InjectOptions['method'],
        url,
        headers: { ...SAME_ORIGIN, ...caller.headers },
        ...(prepared.payload === undefined ? {} : { payload: prepared.payload as InjectOptions['payload'] }),
      });
      return {
        route,
        caller,
        url,
        params,
        status: response.statusCode,
        body: response.body,
        json: () => response.json<Json>(),
        ...(prepared.intact ? { intact: prepared.intact } : {}),
      };
    },
    close: () => t.close(),
  };
}
