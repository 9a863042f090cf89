import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases.ts';
import { adminOf, createTestApp, login, signup, TEST_PASSWORD, type TestApp, type TestUser } from './helpers/app.ts';
import { closed, connect, inbox } from './helpers/ws.ts';

// Sessions that end: every JWT names a session; logout, password change, role change, disable and
// delete end sessions at once (REST refused, open streams closed). Users see and end their own.
describe.each(ENGINES)('sessions on %s', (engine) => {
  let t: TestApp;
  let admin: TestUser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await signup(t.app, 'root', 'admin');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(() => t?.close());

  const get = (url: string, user: { headers: Record<string, string> }) => t.app.inject({ url, headers: user.headers });
  const send = (
    method: 'POST' | 'PATCH' | 'DELETE',
    url: string,
    user: { headers: Record<string, string> } | undefined,
    payload?: object,
  ) => t.app.inject({ method, url, headers: user?.headers, payload });
  const works = async (user: { headers: Record<string, string> }) => (await get('/api/v1/agents', user)).statusCode;
  const stream = async (user: TestUser) => {
    const socket = await connect(`${base}/ws/stream`, { protocols: ['nop.v1', `nop.jwt.${user.token}`] });
    await inbox(socket).next((m) => m.type === 'hello');
    return socket;
  };

  it('lists your live sessions with address and browser, the one asking marked current', async () => {
    const user = await signup(t.app, 'lister', 'viewer');
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'user-agent': 'Firefox/140 (test)' },
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    const list = await get('/api/v1/auth/sessions', user);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ id: string; current: boolean; userAgent: string; ip: string }>;
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.find((s) => !s.current)).toMatchObject({ userAgent: 'Firefox/140 (test)', ip: '127.0.0.1' });
    // another user's list holds none of them
    const others = (await get('/api/v1/auth/sessions', admin)).json().items as Array<{ id: string }>;
    expect(others.map((s) => s.id)).not.toContain(items[0]!.id);
    expect(second.statusCode).toBe(200);
  });

  it('logout ends this session only: its REST calls and open stream stop at once, others go on', async () => {
    const user = await signup(t.app, 'leaver', 'viewer');
    const other = await login(t.app, user.email);
    const socket = await stream(user);
    const gone = closed(socket);
    expect((await send('POST', '/api/v1/auth/logout', user)).statusCode).toBe(204);
    expect(await works(user)).toBe(401);
    expect((await get('/api/v1/agents', user)).json().detail).toMatch(/session ended/);
    expect(await gone).toMatchObject({ code: 1008, reason: 'signed out' });
    expect(await works(other)).toBe(200);
    // a revoked session cannot open a new stream
    await expect(
      connect(`${base}/ws/stream`, { protocols: ['nop.v1', `nop.jwt.${user.token}`] }),
    ).rejects.toMatchObject({
      status: 401,
    });
  });

  it('ends one of your other sessions; another user cannot end yours (404)', async () => {
    const user = await signup(t.app, 'juggler', 'editor');
    const laptop = await login(t.app, user.email);
    const items = (await get('/api/v1/auth/sessions', user)).json().items as Array<{ id: string; current: boolean }>;
    const laptopSession = items.find((s) => !s.current)!;
    const intruder = await signup(t.app, 'intruder', 'admin');
    expect((await send('DELETE', `/api/v1/auth/sessions/${laptopSession.id}`, intruder)).statusCode).toBe(404);
    expect(await works(laptop)).toBe(200);
    expect((await send('DELETE', `/api/v1/auth/sessions/${laptopSession.id}`, user)).statusCode).toBe(204);
    expect(await works(laptop)).toBe(401);
    expect(await works(user)).toBe(200);
    expect((await send('DELETE', `/api/v1/auth/sessions/${laptopSession.id}`, user)).statusCode).toBe(404);
    expect((await send('DELETE', '/api/v1/auth/sessions/not-a-uuid', user)).statusCode).toBe(404);
  });

  it('changes the password only with the current one, ending every session and answering a new one', async () => {
    const user = await signup(t.app, 'rotator', 'editor');
    const phone = await login(t.app, user.email);
    const socket = await stream(phone);
    const gone = closed(socket);

    const wrong = await send('POST', '/api/v1/auth/password', user, {
      currentPassword: 'not my password',
      newPassword: 'a brand new password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('body.currentPassword');
    expect(await works(phone)).toBe(200);
    const same = await send('POST', '/api/v1/auth/password', user, {
      currentPassword: TEST_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().errors[0].path).toBe('body.newPassword');

    const changed = await send('POST', '/api/v1/auth/password', user, {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a brand new password',
    });
    expect(changed.statusCode).toBe(200);
    expect(await works(user)).toBe(401);
    expect(await works(phone)).toBe(401);
    expect(await gone).toMatchObject({ code: 1008 });
    expect(await works({ headers: { authorization: `Bearer ${changed.json().token}` } })).toBe(200);
    await expect(login(t.app, user.email)).rejects.toThrow(/401/);
    await expect(login(t.app, user.email, 'a brand new password')).resolves.toMatchObject({ email: user.email });
  });

  it('a new role ends the sessions of the user; signed in again, the new role holds', async () => {
    const user = await signup(t.app, 'demoted', 'editor');
    const socket = await stream(user);
    const gone = closed(socket);
    expect((await send('POST', '/api/v1/agents', user, { name: `d-${Date.now()}`, type: 'ping' })).statusCode).toBe(
      201,
    );
    const change = await send('PATCH', `/api/v1/users/${user.user.id}`, admin, { role: 'viewer' });
    expect(change.statusCode).toBe(200);
    expect(change.json().role).toBe('viewer');
    expect(await works(user)).toBe(401);
    expect(await gone).toMatchObject({ code: 1008 });
    const again = await login(t.app, user.email);
    expect(again.user.role).toBe('viewer');
    expect((await send('POST', '/api/v1/agents', again, { name: `d2-${Date.now()}`, type: 'ping' })).statusCode).toBe(
      403,
    );
  });

  it('a disabled user cannot use any session or sign in (403), and can again once enabled', async () => {
    const user = await signup(t.app, 'paused', 'viewer');
    expect((await send('PATCH', `/api/v1/users/${user.user.id}`, admin, { disabled: true })).json()).toMatchObject({
      disabled: true,
    });
    expect(await works(user)).toBe(401);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/disabled/);
    expect((await send('PATCH', `/api/v1/users/${user.user.id}`, admin, { disabled: false })).statusCode).toBe(200);
    expect(await works(await login(t.app, user.email))).toBe(200);
  });

  it("a deleted user's token is a 401, never a 500; their agents stay, owned by no one", async () => {
    const user = await signup(t.app, 'departed', 'editor');
    const agent = (await send('POST', '/api/v1/agents', user, { name: `left-${Date.now()}`, type: 'ping' })).json();
    const socket = await stream(user);
    const gone = closed(socket);
    expect((await send('DELETE', `/api/v1/users/${user.user.id}`, admin)).statusCode).toBe(204);
    for (const url of ['/api/v1/agents', '/api/v1/auth/me', '/api/v1/auth/sessions', '/api/v1/api-tokens'])
      expect((await get(url, user)).statusCode, url).toBe(401);
    expect((await send('POST', '/api/v1/auth/logout', user)).statusCode).toBe(401);
    expect(await gone).toMatchObject({ code: 1008 });
    expect((await get(`/api/v1/agents/${agent.agent.id}`, admin)).json().ownerId).toBeNull();
  });

  it('keeps an admin: the last active one cannot be demoted, disabled or deleted, and no admin deletes itself', async () => {
    const fresh = await createTestApp(engine);
    try {
      const only = await signup(fresh.app, 'only', 'admin');
      const patch = (payload: object) =>
        fresh.app.inject({ method: 'PATCH', url: `/api/v1/users/${only.user.id}`, headers: only.headers, payload });
      for (const payload of [{ role: 'editor' }, { disabled: true }]) {
        const refused = await patch(payload);
        expect(refused.statusCode, JSON.stringify(payload)).toBe(409);
        expect(refused.json().detail).toMatch(/last active admin/);
      }
      const self = await fresh.app.inject({
        method: 'DELETE',
        url: `/api/v1/users/${only.user.id}`,
        headers: only.headers,
      });
      expect(self.statusCode).toBe(409);
      // with a second admin, the first may step down
      const second = await signup(fresh.app, 'second', 'admin');
      expect((await patch({ role: 'editor' })).statusCode).toBe(200);
      const last = await fresh.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${second.user.id}`,
        headers: second.headers,
        payload: { disabled: true },
      });
      expect(last.statusCode).toBe(409);
    } finally {
      await fresh.close();
    }
  });

  it('signs out everywhere else (this session stays), and admins sign a user out everywhere', async () => {
    const user = await signup(t.app, 'many', 'editor');
    const laptop = await login(t.app, user.email);
    const phone = await login(t.app, user.email);
    const socket = await stream(phone);
    const gone = closed(socket);
    const others = await send('DELETE', '/api/v1/auth/sessions', user);
    expect(others.json()).toEqual({ ended: 2 });
    expect(await works(user)).toBe(200);
    expect(await works(laptop)).toBe(401);
    expect(await gone).toMatchObject({ code: 1008, reason: 'session revoked' });

    const everywhere = await send('DELETE', `/api/v1/users/${user.user.id}/sessions`, admin);
    expect(everywhere.json()).toEqual({ ended: 1 });
    expect(await works(user)).toBe(401);
    expect(
      (await send('DELETE', '/api/v1/users/00000000-0000-0000-0000-000000000000/sessions', admin)).statusCode,
    ).toBe(404);
  });

  it('tells a closed stream and a refused call why: signed out, password or role changed, disabled', async () => {
    const cases: Array<[string, (u: TestUser) => Promise<unknown>, RegExp]> = [
      ['signed out', (u) => send('POST', '/api/v1/auth/logout', u), /signed out or revoked/],
      [
        'password changed',
        (u) =>
          send('POST', '/api/v1/auth/password', u, { currentPassword: TEST_PASSWORD, newPassword: 'another one!' }),
        /password or role changed/,
      ],
      [
        'role changed',
        (u) => send('PATCH', `/api/v1/users/${u.user.id}`, admin, { role: 'viewer' }),
        /password or role changed/,
      ],
      ['account disabled', (u) => send('PATCH', `/api/v1/users/${u.user.id}`, admin, { disabled: true }), /disabled/],
    ];
    for (const [reason, revoke, detail] of cases) {
      const user = await signup(t.app, `why-${reason.replace(' ', '-')}`, 'editor');
      const socket = await stream(user);
      const gone = closed(socket);
      await revoke(user);
      expect(await gone, reason).toMatchObject({ code: 1008, reason });
      expect((await get('/api/v1/auth/me', user)).json().detail, reason).toMatch(detail);
    }
  });

  it('renames yourself through /auth/me', async () => {
    const user = await signup(t.app, 'renamer', 'viewer');
    const renamed = await send('PATCH', '/api/v1/auth/me', user, { name: 'New Name' });
    expect(renamed.statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', user)).json()).toMatchObject({ name: 'New Name', role: 'viewer' });
    expect((await send('PATCH', '/api/v1/auth/me', user, { name: 'x', role: 'admin' })).statusCode).toBe(400);
  });

  it('admin user management: create, get, page through, 404 and 409 in words', async () => {
    const made = await send('POST', '/api/v1/users', admin, {
      name: 'Made',
      email: `made.${Date.now()}@example.test`,
      password: 'long enough password',
      role: 'viewer',
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).not.toHaveProperty('password_hash');
    expect((await get(`/api/v1/users/${made.json().id}`, admin)).json()).toMatchObject({ role: 'viewer' });
    expect((await get('/api/v1/users/00000000-0000-0000-0000-000000000000', admin)).statusCode).toBe(404);
    const dup = await send('POST', '/api/v1/users', admin, {
      ...made.json(),
      password: 'long enough',
      createdAt: undefined,
    });
    expect(dup.statusCode).toBe(400); // unknown fields (id, disabled) are refused before anything else
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/api/v1/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`, admin);
      seen.push(...page.json().items.map((u: { email: string }) => u.email));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toContain(made.json().email);
    expect(adminOf(t.app)).toBeDefined();
  });
});

describe.each(ENGINES)('invitations on %s', (engine) => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await signup(t.app, 'root', 'admin');
  });
  afterAll(() => t?.close());

  const invite = (payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: admin.headers, payload });
  const inspect = (token: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/invitation', payload: { token } });
  const accept = (token: string, name = 'Invitee') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/invitation/accept',
      payload: { token, name, password: 'invited password' },
    });

  it('invites with a one-time link that expires: accepted once, with the role chosen', async () => {
    const email = `guest.${Date.now()}@example.test`;
    const made = await invite({ email: email.toUpperCase(), role: 'editor', expiresInHours: 2 });
    expect(made.statusCode).toBe(201);
    const { token, url, invitation } = made.json();
    expect(token).toMatch(/^nop_inv_/);
    expect(url).toMatch(/\/invite#nop_inv_/);
    expect(invitation).toMatchObject({ email, role: 'editor', status: 'pending' });
    const stored = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM invitations WHERE id = $1', [
      invitation.id,
    ]);
    expect(stored.rows[0]!.token_hash).not.toContain(token);

    expect((await inspect(token)).json()).toMatchObject({ email, role: 'editor' });
    const accepted = await accept(token);
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().user).toMatchObject({ email, role: 'editor' });
    expect(
      (await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${accepted.json().token}` } }))
        .statusCode,
    ).toBe(200);

    const again = await accept(token, 'Second');
    expect(again.statusCode).toBe(410);
    expect(again.json().detail).toMatch(/accepted/);
    expect((await inspect(token)).statusCode).toBe(410);
    const listed = (await t.app.inject({ url: '/api/v1/invitations', headers: admin.headers })).json();
    expect(listed.items.find((i: { id: string }) => i.id === invitation.id).status).toBe('accepted');
  });

  it('refuses expired, revoked and unknown links, and inviting an existing account', async () => {
    const expired = (await invite({ email: `late.${Date.now()}@example.test`, role: 'viewer' })).json();
    await t.db.query("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [
      expired.invitation.id,
    ]);
    expect((await accept(expired.token)).statusCode).toBe(410);

    const revoked = (await invite({ email: `nope.${Date.now()}@example.test`, role: 'viewer' })).json();
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/invitations/${revoked.invitation.id}`,
          headers: admin.headers,
        })
      ).statusCode,
    ).toBe(204);
    expect((await accept(revoked.token)).statusCode).toBe(410);
    expect((await accept('nop_inv_made_up')).statusCode).toBe(404);
    expect((await invite({ email: admin.email, role: 'viewer' })).statusCode).toBe(409);
    expect((await invite({ email: 'x@example.test', role: 'owner' })).statusCode).toBe(400);
    expect((await invite({ email: 'x@example.test', expiresInHours: 721 })).statusCode).toBe(400);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(rows[0]!.n).toBe(2); // the admin and the one accepted above
  });

  it('lists invitations by status', async () => {
    await invite({ email: `pending.${Date.now()}@example.test`, role: 'viewer' });
    for (const status of ['pending', 'accepted', 'expired', 'revoked']) {
      const page = await t.app.inject({ url: `/api/v1/invitations?status=${status}`, headers: admin.headers });
      expect(page.statusCode).toBe(200);
      expect(
        page.json().items.every((i: { status: string }) => i.status === status),
        status,
      ).toBe(true);
    }
    expect(
      (await t.app.inject({ url: '/api/v1/invitations?status=pending', headers: admin.headers })).json().items.length,
    ).toBeGreaterThan(0);
    expect((await t.app.inject({ url: '/api/v1/invitations?status=lost', headers: admin.headers })).statusCode).toBe(
      400,
    );
  });

  it('two tabs accepting one link at once make one account', async () => {
    const { token } = (await invite({ email: `twice.${Date.now()}@example.test`, role: 'viewer' })).json();
    const answers = await Promise.all([accept(token, 'A'), accept(token, 'B')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 410]);
  });
});

describe('a revocation that misses the bus (two apps on one database, no bus between them)', () => {
  it('still ends the session on the other replica: REST within about a second, its stream soon after', async () => {
    const t = await createTestApp('postgres');
    const { buildApp } = await import('../src/app.ts');
    const { createMemoryBus } = await import('../src/bus/memory.ts');
    const deaf = await buildApp({
      config: { NOP_AUTH_RATE_LIMIT: 10_000, NOP_PUBLIC_URL: undefined },
      db: t.db,
      bus: createMemoryBus(),
      jwt: t.jwt,
      cipher: t.cipher,
    });
    try {
      await deaf.listen({ port: 0, host: '127.0.0.1' });
      const user = await signup(t.app, 'solo');
      const socket = await connect(`ws://127.0.0.1:${(deaf.server.address() as { port: number }).port}/ws/stream`, {
        protocols: ['nop.v1', `nop.jwt.${user.token}`],
      });
      await inbox(socket).next((m) => m.type === 'hello');
      const gone = closed(socket);
      expect((await deaf.inject({ url: '/api/v1/auth/me', headers: user.headers })).statusCode).toBe(200);
      const start = performance.now();
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: user.headers });
      await expect
        .poll(async () => (await deaf.inject({ url: '/api/v1/auth/me', headers: user.headers })).statusCode, {
          timeout: 3000,
          interval: 20,
        })
        .toBe(401);
      expect(performance.now() - start).toBeLessThan(1500);
      expect(await gone).toMatchObject({ code: 1008 });
      expect(performance.now() - start).toBeLessThan(3000);
    } finally {
      await deaf.close();
      await t.close();
    }
  });
});
