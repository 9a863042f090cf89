import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases.ts';
import { adminOf, createTestApp, signup, TEST_SECRET, type TestApp } from './helpers/app.ts';

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(ENGINES)('auth API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });

  it('makes the first signup admin, refuses later sign-ups (closed by default), and hashes passwords with argon2id', async () => {
    const first = await signup(t.app, 'first');
    expect(first.user.role).toBe('admin');
    const later = await post('/api/v1/auth/signup', {
      name: 'second',
      email: 'second@example.test',
      password: 'correct horse battery',
    });
    expect(later.statusCode).toBe(403);
    expect(later.json().detail).toMatch(/sign-up is closed.*invitation/);
    const { rows } = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [
      first.email,
    ]);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0]!.password_hash).not.toContain('correct horse');
  });

  it('logs in with the right password and returns a token that /me accepts', async () => {
    const user = await signup(t.app);
    const login = await post('/api/v1/auth/login', {
      email: user.email.toUpperCase(),
      password: 'correct horse battery',
    });
    expect(login.statusCode).toBe(200);
    const me = await t.app.inject({
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${login.json().token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: user.email, role: 'editor', disabled: false });
    expect(me.json()).not.toHaveProperty('password_hash');
  });

  it('answers 409 problem+json for a duplicate email', async () => {
    const user = await signup(t.app);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: adminOf(t.app)!.headers,
      payload: { name: 'x', email: user.email, password: 'another password', role: 'viewer' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({ status: 409, title: 'Conflict' });
    expect(again.json().detail).toContain(user.email);
  });

  it('answers 401 for a wrong password and for an unknown email, the same way', async () => {
    const user = await signup(t.app);
    const wrong = await post('/api/v1/auth/login', { email: user.email, password: 'not the password' });
    const unknown = await post('/api/v1/auth/login', { email: 'nobody@example.test', password: 'whatever1' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it.each([
    ['missing email', { name: 'a', password: 'long enough' }, 'body.email'],
    ['bad email', { name: 'a', email: 'not-an-email', password: 'long enough' }, 'body.email'],
    ['short password', { name: 'a', email: 'a@example.test', password: 'short' }, 'body.password'],
    ['empty name', { name: '  ', email: 'a@example.test', password: 'long enough' }, 'body.name'],
    ['unknown field', { name: 'a', email: 'a@example.test', password: 'long enough', role: 'admin' }, 'body'],
    ['number as email', { name: 'a', email: 42, password: 'long enough' }, 'body.email'],
  ])('refuses signup with %s: 400 naming the field', async (_label, body, field) => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    const response = await post('/api/v1/auth/signup', body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain(field);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('answers 400 for malformed JSON and 415 for a body that is not JSON', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().title).toBe('Malformed JSON body');
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(text.headers['content-type']).toContain('application/problem+json');
  });

  describe('tokens', () => {
    let good: string;
    beforeAll(async () => {
      good = (await signup(t.app)).token;
    });
    const me = (authorization?: string) =>
      t.app.inject({ url: '/api/v1/agents', headers: authorization ? { authorization } : {} });

    it('accepts a valid token', async () => {
      expect((await me(`Bearer ${good}`)).statusCode).toBe(200);
    });

    it('refuses a missing, garbage or non-bearer token with 401 problem+json', async () => {
      for (const header of [undefined, 'Bearer', 'Bearer garbage', `Basic ${good}`, 'Bearer a.b.c']) {
        const response = await me(header);
        expect(response.statusCode, String(header)).toBe(401);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    });

    it('refuses a tampered token', async () => {
      const [header, payload, signature] = good.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const tampered = `${header}.${b64({ ...claims, sub: adminOf(t.app)!.user.id })}.${signature}`;
      expect((await me(`Bearer ${tampered}`)).statusCode).toBe(401);
    });

    it('refuses alg:none', async () => {
      const claims = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString());
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      expect((await me(`Bearer ${unsigned}`)).statusCode).toBe(401);
    });

    // signed with the right secret and pointing at a live session: only the claims are wrong
    const resign = (claims: Record<string, unknown>, shape: (jwt: SignJWT) => SignJWT) =>
      shape(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('nop')).sign(
        new TextEncoder().encode(TEST_SECRET),
      );
    const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

    it('refuses an expired token, saying it expired', async () => {
      const { sub, sid, tv } = claimsOf(good);
      const now = Math.floor(Date.now() / 1000);
      const expired = await resign({ sid, tv }, (j) =>
        j
          .setSubject(sub)
          .setIssuedAt(now - 7200)
          .setExpirationTime(now - 3600),
      );
      const response = await me(`Bearer ${expired}`);
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toBe('token expired');
    });

    it('refuses tokens without exp, with exp in 2200, without a session or token version', async () => {
      const { sub, sid, tv } = claimsOf(good);
      const now = Math.floor(Date.now() / 1000);
      const forged = [
        await resign({ sid, tv }, (j) => j.setSubject(sub).setIssuedAt(now)),
        await resign({ sid, tv }, (j) => j.setSubject(sub).setIssuedAt(now).setExpirationTime(7_258_118_400)),
        await resign({ tv }, (j) =>
          j
            .setSubject(sub)
            .setIssuedAt(now)
            .setExpirationTime(now + 600),
        ),
        await resign({ sid }, (j) =>
          j
            .setSubject(sub)
            .setIssuedAt(now)
            .setExpirationTime(now + 600),
        ),
        await resign({ sid, tv }, (j) => j.setSubject(sub).setExpirationTime(now + 600)),
        await resign({ sid: crypto.randomUUID(), tv }, (j) =>
          j
            .setSubject(sub)
            .setIssuedAt(now)
            .setExpirationTime(now + 600),
        ),
        await resign({ sid, tv: tv + 1 }, (j) =>
          j
            .setSubject(sub)
            .setIssuedAt(now)
            .setExpirationTime(now + 600),
        ),
      ];
      for (const token of forged) {
        const response = await me(`Bearer ${token}`);
        expect(response.statusCode, JSON.stringify(claimsOf(token))).toBe(401);
      }
      // the same claims with a sane lifetime pass: the refusals above are about exp, sid and tv
      const fine = await resign({ sid, tv }, (j) =>
        j
          .setSubject(sub)
          .setIssuedAt(now)
          .setExpirationTime(now + 600),
      );
      expect((await me(`Bearer ${fine}`)).statusCode).toBe(200);
    });

    it('refuses a token signed with another secret', async () => {
      const { sub, sid, tv } = claimsOf(good);
      const forged = await new SignJWT({ sid, tv })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer('nop')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-another-secret-another'));
      expect((await me(`Bearer ${forged}`)).statusCode).toBe(401);
    });
  });
});

describe('auth rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { rateLimit: 3 });
  });
  afterAll(() => t?.close());

  it('answers 429 problem+json after too many login attempts from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'x@example.test', password: 'guess' + i },
      });
      codes.push(r.statusCode);
      if (r.statusCode === 429) {
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.json().detail).toMatch(/try again in \d+ s/);
      }
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('is not dodged by a forged X-Forwarded-For (no proxy is trusted by default)', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': '203.0.113.77' },
      payload: { email: 'x@example.test', password: 'guess' },
    });
    expect(r.statusCode).toBe(429);
  });
});

describe('closed sign-up (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t?.close());

  it('lets the first account in (as admin) and refuses later sign-ups with 403, writing nothing', async () => {
    const first = await signup(t.app, 'founder');
    expect(first.user.role).toBe('admin');
    const later = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { name: 'x', email: 'late@example.test', password: 'long enough' },
    });
    expect(later.statusCode).toBe(403);
    expect(later.headers['content-type']).toContain('application/problem+json');
    expect(later.json().detail).toContain('sign-up is closed');
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(rows[0]!.n).toBe(1);
  });
});

describe('open sign-up (NOP_SIGNUP=open)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { signup: 'open' });
  });
  afterAll(() => t?.close());

  it('makes the first account admin and later ones viewers (NOP_SIGNUP_ROLE), and says so in /auth/options', async () => {
    expect((await t.app.inject({ url: '/api/v1/auth/options' })).json()).toEqual({
      firstUser: true,
      signupOpen: true,
      signupRole: 'viewer',
    });
    const first = await signup(t.app, 'founder');
    expect(first.user.role).toBe('admin');
    const later = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { name: 'x', email: 'late@example.test', password: 'long enough' },
    });
    expect(later.statusCode).toBe(201);
    expect(later.json().user.role).toBe('viewer');
    expect((await t.app.inject({ url: '/api/v1/auth/options' })).json()).toMatchObject({
      firstUser: false,
      signupOpen: true,
    });
  });
});
