import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases.ts';
import { createTestApp, signup, TEST_SECRET, type TestApp } from './helpers/app.ts';

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(ENGINES)('auth API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });

  it('makes the first signup admin and later ones users, and hashes passwords with argon2id', async () => {
    const first = await signup(t.app, 'first');
    const second = await signup(t.app, 'second');
    expect(first.user.role).toBe('admin');
    expect(second.user.role).toBe('user');
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
    expect(me.json()).toMatchObject({ email: user.email, role: 'user' });
    expect(me.json()).not.toHaveProperty('password_hash');
  });

  it('answers 409 problem+json for a duplicate email', async () => {
    const user = await signup(t.app);
    const again = await post('/api/v1/auth/signup', { name: 'x', email: user.email, password: 'another password' });
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
      const tampered = `${header}.${b64({ ...claims, role: 'admin' })}.${signature}`;
      expect((await me(`Bearer ${tampered}`)).statusCode).toBe(401);
    });

    it('refuses alg:none', async () => {
      const claims = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString());
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      expect((await me(`Bearer ${unsigned}`)).statusCode).toBe(401);
    });

    it('refuses an expired token, saying it expired', async () => {
      const claims = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString());
      const expired = await new SignJWT({ role: claims.role, name: claims.name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setIssuer('nop')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(TEST_SECRET));
      const response = await me(`Bearer ${expired}`);
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toBe('token expired');
    });

    it('refuses a token signed with another secret', async () => {
      const claims = JSON.parse(Buffer.from(good.split('.')[1]!, 'base64url').toString());
      const forged = await new SignJWT({ role: 'admin', name: 'x' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setIssuer('nop')
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

describe('closed sign-up (NOP_SIGNUP=closed)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { signup: 'closed' });
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
    expect(later.json().detail).toContain('NOP_SIGNUP=closed');
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(rows[0]!.n).toBe(1);
  });
});
