import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ROLES, type Permission, type Role } from '../../src/model/roles.ts';
import { auditLog } from '../../src/store/schema.ts';
import { addKey, addUser, addWorkspace, freshEmail, GRANTED, signIn } from '../support/accounts.ts';
import type { Json } from '../support/http.ts';
import { approvalGraph } from '../support/route-calls.ts';
import { appWithSockets, ask } from '../support/sockets.ts';
import { getExecution, publish, start, until } from '../support/workflows.ts';

/** Socket access: the handshake takes the credentials HTTP takes, and every event checks the role and the workspace. */

const s = appWithSockets();

/** The permission each client event needs (src/server/realtime.ts and workspace-rooms.ts). */
const EVENTS: Record<string, Permission> = {
  'execution.subscribe': 'executions.read',
  'conversation.subscribe': 'conversations.use',
  'conversation.message': 'conversations.use',
  'workspace.subscribe': 'executions.read',
};

/** How the handshake ended: connected, or refused with the server's `data.code`. Call it right after creating the socket. */
function handshake(socket: Socket): Promise<{ connected: true } | { refused: string; message: string }> {
  return new Promise((resolve) => {
    if (socket.connected) resolve({ connected: true });
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) =>
      resolve({ refused: error.data?.code ?? 'none', message: error.message }),
    );
  });
}

async function connected(socket: Socket): Promise<Socket> {
  expect(await handshake(socket)).toEqual({ connected: true });
  return socket;
}

/** The first `event` the socket receives within `ms`, or undefined. */
function next(socket: Socket, event: string, ms = 3000): Promise<Json | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      resolve(undefined);
    }, ms);
    const on = (payload: Json) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, on);
  });
}

/** Workspace A (the default one) with a run waiting for approval and a conversation bound to its workflow. */
async function workspaceA() {
  const slug = await publish(s.app, approvalGraph());
  const execution = (await start(s.app, slug)).body.id as string;
  await until(s.app, execution, ['waiting']);
  const conversation = (
    await s.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: { workflowId: slug } })
  ).json().id as string;
  return { workspaceId: s.t.workspaceId, slug, execution, conversation };
}

/** A signed-in member's cookie, as a browser on Duet's own origin sends it to the socket. */
async function cookieClient(role: Role, workspaceId = s.t.workspaceId): Promise<Socket> {
  const user = await addUser(s.db, { email: freshEmail(role), member: { workspaceId, role } });
  const cookie = await signIn(s.t.anonymous, user.email);
  return s.client({}, { extraHeaders: { cookie, origin: s.url } });
}

async function say(socket: Socket, conversationId: string, text: string): Promise<Json> {
  const answer = await ask(socket, 'conversation.message', { conversationId, text });
  expect(answer.error, JSON.stringify(answer)).toBeUndefined();
  return answer;
}

describe('socket handshake', () => {
  it('refuses a connection without credentials, or with an unknown API key', async () => {
    const none = await handshake(s.client({}));
    expect(none).toMatchObject({ refused: 'unauthorized' });
    expect((none as { message: string }).message).toContain('auth: {token: <API key>}');
    expect(await handshake(s.client({ token: 'duet_not-a-real-key' }))).toMatchObject({ refused: 'unauthorized' });
  });

  it('refuses a session cookie sent from a foreign origin or with no origin at all', async () => {
    const user = await addUser(s.db, { member: { workspaceId: s.t.workspaceId, role: 'admin' } });
    const cookie = await signIn(s.t.anonymous, user.email);
    const foreign = await handshake(s.client({}, { extraHeaders: { cookie, origin: 'https://evil.example' } }));
    expect(foreign).toMatchObject({ refused: 'forbidden' });
    expect((foreign as { message: string }).message).toContain('https://evil.example');
    expect(await handshake(s.client({}, { extraHeaders: { cookie } }))).toMatchObject({ refused: 'forbidden' });
  });

  it('admits an API key in auth.token and a session cookie from its own origin', async () => {
    const a = await workspaceA();
    const key = await connected(s.client({ token: (await addKey(s.db, a.workspaceId, 'viewer')).key }));
    const browser = await connected(await cookieClient('viewer'));
    for (const socket of [key, browser])
      expect(await ask(socket, 'workspace.subscribe', { workspaceId: a.workspaceId })).toEqual({ ok: true });
  });
});

describe('socket events', () => {
  it('answers each event for each role, by API key and by cookie, as the role allows', async () => {
    const a = await workspaceA();
    for (const role of ROLES) {
      const sockets = {
        key: s.client({ token: (await addKey(s.db, a.workspaceId, role)).key }),
        cookie: await cookieClient(role),
      };
      for (const [via, socket] of Object.entries(sockets)) {
        await connected(socket);
        const where = `${role} by ${via}`;
        const payloads: Record<string, object> = {
          'execution.subscribe': { executionId: a.execution, afterOffset: 0 },
          'conversation.subscribe': { conversationId: a.conversation },
          'conversation.message': { conversationId: a.conversation, text: 'status' },
          'workspace.subscribe': { workspaceId: a.workspaceId },
        };
        for (const [event, permission] of Object.entries(EVENTS)) {
          const replay = next(socket, 'execution.event');
          const answer = await ask(socket, event, payloads[event]);
          if (!GRANTED[role].includes(permission)) {
            expect(answer.error?.code, `${event} as ${where}`).toBe('forbidden');
            continue;
          }
          expect(answer.error, `${event} as ${where}: ${JSON.stringify(answer)}`).toBeUndefined();
          if (event === 'execution.subscribe')
            expect((await replay)?.offset, `${event} as ${where} replays from offset 1`).toBe(1);
          if (event === 'conversation.message') expect(answer.reply, where).toContain('Matrix approval');
        }
        // Joined the conversation's room: a message sent over HTTP reaches this socket as turns.
        const turn = next(socket, 'conversation.turn');
        await s.app.inject({
          method: 'POST',
          url: `/api/v1/conversations/${a.conversation}/messages`,
          payload: { text: 'status' },
        });
        expect((await turn)?.conversationId, `${where} follows the conversation`).toBe(a.conversation);
        socket.disconnect();
      }
    }
  });

  it('answers not_found for ids of another workspace and sends none of its events', async () => {
    const a = await workspaceA();
    const b = await addWorkspace(s.db, 'workspace-b');
    const outsiders = [s.client({ token: (await addKey(s.db, b, 'admin')).key }), await cookieClient('admin', b)];
    const insider = await connected(s.client());
    expect(await ask(insider, 'workspace.subscribe', { workspaceId: a.workspaceId })).toEqual({ ok: true });
    // An A socket cannot follow B either.
    expect((await ask(insider, 'workspace.subscribe', { workspaceId: b })).error?.code).toBe('not_found');

    const seen: Json[] = [];
    for (const socket of outsiders) {
      await connected(socket);
      socket.on('execution.event', (e: Json) => seen.push(e));
      socket.on('conversation.turn', (e: Json) => seen.push(e));
      expect((await ask(socket, 'execution.subscribe', { executionId: a.execution })).error?.code).toBe('not_found');
      expect((await ask(socket, 'conversation.subscribe', { conversationId: a.conversation })).error?.code).toBe(
        'not_found',
      );
      expect(
        (await ask(socket, 'conversation.message', { conversationId: a.conversation, text: 'cancel' })).error?.code,
      ).toBe('not_found');
      expect((await ask(socket, 'workspace.subscribe', { workspaceId: a.workspaceId })).error?.code).toBe('not_found');
    }
    expect((await getExecution(s.app, a.execution)).status).toBe('waiting');

    // A's run goes on and its conversation talks; the insider hears it, the outsiders hear nothing.
    const finished = new Promise<void>((resolve) =>
      insider.on('execution.event', (e: Json) => {
        if (e.type === 'execution.completed') resolve();
      }),
    );
    await s.app.inject({
      method: 'POST',
      url: `/api/v1/executions/${a.execution}/approval`,
      payload: { decision: 'approve' },
    });
    await s.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${a.conversation}/messages`,
      payload: { text: 'status' },
    });
    await finished;
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([]);
  });
});

describe('chat over the socket respects the role', () => {
  it("refuses a viewer's requests to pause, cancel, approve or edit, and changes nothing; an editor's go through", async () => {
    const { slug, conversation } = await workspaceA();
    const draft = async () => (await s.app.inject({ method: 'GET', url: `/api/v1/workflows/${slug}` })).json().draft;
    const viewerKey = await addKey(s.db, s.t.workspaceId, 'viewer');
    const viewer = await connected(s.client({ token: viewerKey.key }));

    // Viewers may start runs from the chat.
    const started = await say(viewer, conversation, 'run it');
    expect(started.action).toMatchObject({ type: 'start' });
    const run = started.action.executionId as string;
    await until(s.app, run, ['waiting']);
    const eventsBefore = (await s.app.inject({ method: 'GET', url: `/api/v1/executions/${run}/events` })).json().items
      .length;
    const draftBefore = await draft();

    for (const text of ['pause', 'cancel', 'yes']) {
      const answer = await say(viewer, conversation, text);
      expect(answer.reply, text).toContain('does not let you control executions');
      expect(answer.action, text).toBeNull();
    }
    for (const text of ['rename ask to Boss approval', 'add a function block called notify after ask']) {
      const answer = await say(viewer, conversation, text);
      expect(answer.reply, text).toContain('does not let you create, edit, publish or delete workflows');
      expect(answer.action, text).toBeNull();
    }
    expect((await getExecution(s.app, run)).status).toBe('waiting');
    expect((await s.app.inject({ method: 'GET', url: `/api/v1/executions/${run}/events` })).json().items).toHaveLength(
      eventsBefore,
    );
    expect(await draft()).toEqual(draftBefore);
    // Each message over the socket is in the audit log under the viewer's key.
    const audited = await s.db.orm
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'socket conversation.message'), eq(auditLog.actorId, viewerKey.id)));
    expect(audited).toHaveLength(6);
    expect(
      audited.every(
        (e) =>
          e.actorLabel === viewerKey.name &&
          e.resourceId === conversation &&
          e.workspaceId === s.t.workspaceId &&
          e.outcome === 'success',
      ),
    ).toBe(true);

    // The same words from an editor act, so the refusals above came from the role and not the phrasing.
    const editor = await connected(s.client({ token: (await addKey(s.db, s.t.workspaceId, 'editor')).key }));
    expect((await say(editor, conversation, 'rename ask to Boss approval')).action).toMatchObject({
      type: 'edit-draft',
    });
    expect((await draft()).nodes.find((n: Json) => n.id === 'ask').name).toBe('Boss approval');
    await say(editor, conversation, 'cancel');
    expect((await until(s.app, run, ['cancelled'])).status).toBe('cancelled');
  });
});

describe('credentials that go away while a socket is open', () => {
  it('refuses the next event of a socket whose key was revoked, says why and disconnects it', async () => {
    const { execution } = await workspaceA();
    const made = await addKey(s.db, s.t.workspaceId, 'editor');
    const socket = await connected(s.client({ token: made.key }));
    expect(await ask(socket, 'execution.subscribe', { executionId: execution })).toEqual({ ok: true });

    const revoked = await s.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${made.id}` });
    expect(revoked.statusCode).toBe(200);
    const told = next(socket, 'error');
    const gone = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    expect(await ask(socket, 'execution.subscribe', { executionId: execution })).toMatchObject({
      error: { code: 'unauthorized' },
    });
    expect(await told).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('revoked') });
    expect(await gone).toBe('io server disconnect');
  });

  it('applies a role change to the next event of an open socket', async () => {
    const { conversation } = await workspaceA();
    const user = await addUser(s.db, {
      email: freshEmail('editor'),
      member: { workspaceId: s.t.workspaceId, role: 'editor' },
    });
    const cookie = await signIn(s.t.anonymous, user.email);
    const socket = await connected(s.client({}, { extraHeaders: { cookie, origin: s.url } }));
    expect(await ask(socket, 'conversation.subscribe', { conversationId: conversation })).toEqual({ ok: true });

    expect(
      (await s.app.inject({ method: 'PATCH', url: `/api/v1/members/${user.id}`, payload: { role: 'viewer' } }))
        .statusCode,
    ).toBe(200);
    const answer = await ask(socket, 'conversation.message', {
      conversationId: conversation,
      text: 'rename ask to Boss approval',
    });
    expect(answer.reply).toContain('does not let you create, edit, publish or delete workflows');
  });
});
