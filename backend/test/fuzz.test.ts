/**
 * Property-based fuzz of every route of docs/openapi.json (helpers/openapi-arbitrary.ts makes the
 * requests from the document). On each engine, thousands of requests go through app.inject; every
 * answer must be below 500, every error must be problem+json whose `status` is the HTTP status,
 * and the server must log no error while it answers (a logged error behind a 4xx is a failure it
 * swallowed, such as an audit entry it could not write).
 * All failures are collected, grouped and (each group's first occurrence) shrunk by fast-check to a
 * minimal request before the test fails with the lot.
 *
 * FUZZ_SEED picks another seed, FUZZ_RUNS another number of requests per engine.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { createMemoryBus } from '../src/bus/memory.ts';
import { createJwtService } from '../src/modules/auth/jwt.ts';
import type { UserRow } from '../src/modules/users/repo.ts';
import { createSecretCipher } from '../src/secrets/cipher.ts';
import { signup, TEST_PASSWORD, TEST_SECRET } from './helpers/app.ts';
import { logFile } from './helpers/test-logs.ts';
import { LOG_SETTINGS } from '../src/http/log-redaction.ts';
import pino from 'pino';
import { ENGINES, openTestDb, type Engine } from './helpers/databases.ts';
import {
  describeRequest,
  documentArbitrary,
  Observations,
  operationsOf,
  toInjectRequest,
  type InjectRequest,
  type OpenApiDocument,
  type RequestRecipe,
} from './helpers/openapi-arbitrary.ts';

const doc: OpenApiDocument = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const operations = operationsOf(doc);
const SEED = Number(process.env.FUZZ_SEED ?? 0x6e6f70);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** a request that takes longer than this has hung (a failure too) */
const REQUEST_TIMEOUT_MS = 10_000;
/** failure groups shrunk to a minimal request, and the time each may take */
const SHRINK_GROUPS = 12;
const SHRINK_MS = 15_000;
const SHRINK_TOTAL_MS = 60_000;
/** FUZZ_TRACE=<regex>: print every request to the operations it matches, with the answer */
const trace = process.env.FUZZ_TRACE ? new RegExp(process.env.FUZZ_TRACE) : undefined;

// ---------------------------------------------------------------------------------------------
// The app, with its error log captured (a 500's cause is only there)

interface LogEntry {
  level: string;
  /** the log line's message and fields */
  message: string;
  /** the message of the error it carries, if any */
  error?: string;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * The app's pino logger at debug level: every line goes to the run's log folder (scanned for
 * secrets at the end, like every test app's), and warnings and errors also into `sink`, where the
 * fuzz reads the cause of a failure.
 */
function captureLogger(sink: LogEntry[]): FastifyBaseLogger {
  const capture = {
    write(line: string) {
      const { level, msg, err, time: _t, pid: _p, hostname: _h, ...fields } = JSON.parse(line);
      sink.push({
        level: LEVELS[level] ?? String(level),
        message: `${typeof msg === 'string' ? msg : ''} ${JSON.stringify({ err, ...fields })}`.trim().slice(0, 2000),
        error: typeof err?.message === 'string' ? err.message : undefined,
      });
    },
  };
  return pino(
    { level: 'debug', ...LOG_SETTINGS },
    pino.multistream([
      { level: 'debug', stream: pino.destination({ dest: logFile('app-fuzz'), sync: true }) },
      { level: 'warn', stream: capture },
    ]),
  ) as FastifyBaseLogger;
}

async function openApp(engine: Engine, logs: LogEntry[]) {
  const { db, cleanup } = await openTestDb(engine);
  const bus = createMemoryBus();
  const app = await buildApp({
    config: {
      // per-address limits: every injected request comes from one address
      NOP_AUTH_RATE_LIMIT: 1_000_000,
      NOP_ACCOUNT_LOGIN_LIMIT: 1_000_000,
      NOP_PUBLIC_URL: undefined,
      // open sign-up: well-formed sign-ups reach the database, not just the "closed" refusal
      NOP_SIGNUP: 'open',
    },
    db,
    bus,
    jwt: createJwtService(TEST_SECRET, 3600),
    cipher: createSecretCipher(TEST_SECRET),
    logger: captureLogger(logs),
  });
  return {
    app,
    async close() {
      await app.close();
      await bus.close();
      await cleanup();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Credentials that keep working whatever the fuzz does to them

/**
 * One credential per role and kind (session JWT, API token). The fuzz logs out, revokes sessions
 * and tokens, changes passwords, demotes, disables and deletes users: when a credential stops
 * working it is replaced (a user of that role made again if need be), so the run keeps getting
 * past the guard instead of turning into 401s.
 */
class Credentials {
  private readonly tokens = new Map<string, string>();
  private readonly owners = new Map<string, string>();
  private made = 0;
  replaced = 0;

  constructor(
    private readonly app: App,
    private readonly observations: Observations,
    admin: { id: string },
  ) {
    this.owners.set('admin/session', admin.id);
  }

  /** A user of `role` that is enabled: the one this slot had, else a new one. */
  private async owner(slot: string, role: string, fresh = false): Promise<UserRow> {
    const id = this.owners.get(slot);
    const row = id && !fresh ? await this.app.services.users.get(id).catch(() => undefined) : undefined;
    if (row && row.role === role && !row.disabled_at) return row;
    const n = ++this.made;
    const created = await this.app.services.users.create({
      name: `fuzz ${role} ${n}`,
      email: `fuzz-${role}-${n}@harness.example.com`,
      password: TEST_PASSWORD,
      role: role as UserRow['role'],
    });
    this.owners.set(slot, created.id);
    return created;
  }

  private async session(slot: string, role: string, fresh = false) {
    const row = await this.owner(slot, role, fresh);
    return (await this.app.services.auth.issue(row, { ip: '127.0.0.1', userAgent: 'fuzz harness' })).token;
  }

  private async apiToken(slot: string, role: string): Promise<string | undefined> {
    // an owner may mint 20 tokens an hour and hold 50: on a refusal, a new owner
    for (const fresh of [false, true]) {
      const session = await this.session(slot, role, fresh);
      const response = await this.app.inject({
        method: 'POST',
        url: '/api/v1/api-tokens',
        headers: { authorization: `Bearer ${session}` },
        payload: { name: 'fuzz harness', role, expiresInDays: 30 },
      });
      if (response.statusCode === 201) return response.json().token;
    }
    return undefined;
  }

  async get(role: string, via: 'session' | 'token'): Promise<string | undefined> {
    if (role === 'agent') {
      // agents are made by the fuzz itself (POST of a documented route answers their token)
      const seen = (this.observations.values.get('token') ?? []).filter(
        (t): t is string => typeof t === 'string' && t.startsWith('nop_agt_'),
      );
      return seen[seen.length - 1];
    }
    const slot = `${role}/${via}`;
    let token = this.tokens.get(slot);
    if (!token) {
      token = via === 'session' ? await this.session(slot, role) : await this.apiToken(slot, role);
      if (token) this.tokens.set(slot, token);
    }
    return token;
  }

  /** After a 401 (or a 403 for a role the route allows): is the credential still good for its role? */
  async check(role: string, via: 'session' | 'token') {
    const slot = `${role}/${via}`;
    const token = this.tokens.get(slot);
    if (!token) return;
    const me = await this.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    if (me.statusCode === 200 && me.json().role === role) return;
    this.tokens.delete(slot);
    this.replaced++;
  }
}

// ---------------------------------------------------------------------------------------------
// One request and what is wrong with its answer

interface Outcome {
  recipe: RequestRecipe;
  request: InjectRequest;
  status: number;
  contentType: string;
  body: string;
  /** what breaks the contract, if anything */
  problem?: string;
  /** the server's errors and warnings while it answered */
  logs: LogEntry[];
}

function contractProblem(
  method: string,
  status: number,
  contentType: string,
  body: string,
  logs: LogEntry[],
): string | undefined {
  const problems: string[] = [];
  if (status >= 500) problems.push(`server error ${status}`);
  // an error the server logged but did not answer with was swallowed (an audit entry lost, say)
  else if (logs.some((l) => l.level === 'error' || l.level === 'fatal')) problems.push('server logged an error');
  if (status >= 400) {
    if (!contentType.startsWith('application/problem+json')) problems.push(`content-type "${contentType}"`);
    if (method !== 'HEAD') {
      let parsed: any;
      try {
        parsed = JSON.parse(body);
      } catch {
        problems.push('body is not JSON');
      }
      if (parsed !== undefined) {
        const missing = ['type', 'title', 'detail'].filter((k) => typeof parsed?.[k] !== 'string');
        if (missing.length) problems.push(`no string ${missing.join('/')}`);
        if (parsed?.status !== status) problems.push(`body status ${JSON.stringify(parsed?.status)}`);
      }
    }
  }
  return problems.length ? problems.join(', ') : undefined;
}

const credentialWord = (recipe: RequestRecipe) => {
  const c = recipe.credential;
  if (c.kind === 'role') return `${c.role === 'agent' ? 'agent token' : `${c.role} ${c.via}`} (${c.transport})`;
  if (c.kind === 'observed') return `a seen token (${c.transport})`;
  return c.kind === 'none' ? 'no credential' : 'a malformed Authorization header';
};

/** Ids, quoted values and long numbers out: errors of one kind group together. */
const normalise = (text: string) =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d{3,}/g, '#')
    .slice(0, 200);

/** Route, method, status and cause: one line per distinct failure. */
function signatureOf(outcome: Outcome): string {
  const serverError = outcome.logs.find((l) => l.level === 'error' || l.level === 'fatal');
  let detail: string;
  try {
    detail = JSON.parse(outcome.body)?.detail ?? '';
  } catch {
    detail = outcome.body.slice(0, 80);
  }
  const cause = serverError
    ? `server log: ${serverError.message.split(' {')[0]}: ${serverError.error ?? ''}`
    : `detail: ${detail}`;
  return `${outcome.recipe.method} ${outcome.recipe.op.path} → ${outcome.status} ${outcome.problem}; ${normalise(cause)}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

class Fuzzer {
  readonly observations = new Observations();
  readonly credentials: Credentials;

  constructor(
    readonly app: App,
    readonly logs: LogEntry[],
    admin: { id: string },
  ) {
    this.credentials = new Credentials(app, this.observations, admin);
    this.observations.addValue('password', TEST_PASSWORD);
  }

  async send(recipe: RequestRecipe): Promise<Outcome> {
    const request = await toInjectRequest(recipe, {
      observations: this.observations,
      credential: (role, via) => this.credentials.get(role, via),
    });
    const logsBefore = this.logs.length;
    const response = await withTimeout(
      this.app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: request.headers,
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      }),
      REQUEST_TIMEOUT_MS,
    );
    const logs = this.logs.slice(logsBefore);
    if (response === 'timeout')
      return { recipe, request, status: 0, contentType: '', body: '', problem: 'no answer within 10 s', logs };
    const contentType = String(response.headers['content-type'] ?? '');
    const outcome: Outcome = {
      recipe,
      request,
      status: response.statusCode,
      contentType,
      body: response.body,
      problem: contractProblem(request.method, response.statusCode, contentType, response.body, logs),
      logs,
    };
    await this.learn(outcome);
    return outcome;
  }

  /** Ids, tokens and values from a success; a credential checked after a refusal it should not get. */
  private async learn({ recipe, status, contentType, body, request }: Outcome) {
    if (status >= 200 && status < 300) {
      if (contentType.includes('json') && body) {
        try {
          this.observations.recordResponse(recipe.op, JSON.parse(body));
        } catch {
          // not JSON after all: nothing to learn
        }
      }
      if (request.json !== undefined) this.observations.recordAccepted(request.json);
    }
    const c = recipe.credential;
    if (c.kind === 'role' && c.role !== 'agent' && c.transport !== 'tampered') {
      if (status === 401 || (status === 403 && recipe.op.roles.includes(c.role)))
        await this.credentials.check(c.role, c.via);
    }
  }
}

// ---------------------------------------------------------------------------------------------

interface Group {
  signature: string;
  count: number;
  firstIndex: number;
  first: Outcome;
  minimal?: Outcome;
}

const cut = (text: string, n = 500) => (text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text);

function describeOutcome(o: Outcome): string {
  const log = o.logs.map((l) => `${l.level}: ${l.message}`).join(' / ');
  return [
    `    request: ${describeRequest(o.request)}`,
    `    as: ${credentialWord(o.recipe)}`,
    `    answer: ${o.status} ${o.contentType} ${cut(o.body)}`,
    ...(log ? [`    server log: ${cut(log, 800)}`] : []),
  ].join('\n');
}

describe.each(ENGINES)('fuzz of every documented route on %s', (engine) => {
  const logs: LogEntry[] = [];
  let t: Awaited<ReturnType<typeof openApp>>;
  let fuzzer: Fuzzer;

  beforeAll(async () => {
    t = await openApp(engine, logs);
    const admin = await signup(t.app, 'fuzzadmin', 'admin');
    fuzzer = new Fuzzer(t.app, logs, admin.user);
  });
  afterAll(() => t?.close());

  it(`answers ${RUNS} generated requests without a 5xx, every error as problem+json`, async () => {
    const arbitrary = documentArbitrary(doc, operations);
    const started = Date.now();
    const statuses = new Map<number, number>();
    const perOperation = new Map<string, Map<number, number>>();
    const exercised = new Set<string>();
    const succeeded = new Set<string>();
    const groups = new Map<string, Group>();
    /** warnings the server logged (not failures: degraded paths worth a look) */
    const warnings = new Map<string, number>();
    let index = 0;

    await fc.assert(
      fc.asyncProperty(arbitrary, async (recipe) => {
        const runIndex = index++;
        const outcome = await fuzzer.send(recipe);
        if (trace?.test(recipe.op.key))
          console.log(`${outcome.status} ${describeRequest(outcome.request, 200)} → ${cut(outcome.body, 200)}`);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        // the documented operation itself (not another method, not a path with a suffix)
        if (recipe.method === recipe.op.method && recipe.suffix === '') {
          exercised.add(recipe.op.key);
          const counts = perOperation.get(recipe.op.key) ?? new Map<number, number>();
          counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
          perOperation.set(recipe.op.key, counts);
          if (outcome.status >= 200 && outcome.status < 300) succeeded.add(recipe.op.key);
        }
        for (const entry of outcome.logs.filter((l) => l.level === 'warn')) {
          const key = normalise(`${entry.message.split(' {')[0]}: ${entry.error ?? ''}`);
          warnings.set(key, (warnings.get(key) ?? 0) + 1);
        }
        if (outcome.problem) {
          const signature = signatureOf(outcome);
          const group = groups.get(signature);
          if (group) group.count++;
          else groups.set(signature, { signature, count: 1, firstIndex: runIndex, first: outcome });
        }
        return true; // failures are collected, not thrown: one run finds them all
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const elapsed = (Date.now() - started) / 1000;

    // Each kind of failure: replay its first occurrence and let fast-check shrink it (the server's
    // state has moved on, so a replay may not fail again: then only the original is reported).
    const shrinkUntil = Date.now() + SHRINK_TOTAL_MS;
    for (const group of [...groups.values()].slice(0, SHRINK_GROUPS)) {
      const budget = Math.min(SHRINK_MS, shrinkUntil - Date.now());
      if (budget <= 0) break;
      let minimal: Outcome | undefined;
      await fc.check(
        fc.asyncProperty(arbitrary, async (recipe) => {
          const outcome = await fuzzer.send(recipe);
          if (!outcome.problem || signatureOf(outcome) !== group.signature) return true;
          minimal = outcome;
          return false;
        }),
        { seed: SEED, path: String(group.firstIndex), numRuns: 1, interruptAfterTimeLimit: budget },
      );
      group.minimal = minimal;
    }

    const histogram = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join(' ');
    console.log(
      `fuzz ${engine}: ${index} requests in ${elapsed.toFixed(1)} s (seed ${SEED}); ${histogram}; ` +
        `${succeeded.size}/${operations.length} operations answered 2xx; ` +
        `${fuzzer.credentials.replaced} credentials replaced; ${groups.size} distinct failures`,
    );
    for (const [warning, n] of warnings) console.log(`  server warning (×${n}): ${warning}`);

    if (process.env.FUZZ_VERBOSE)
      for (const [key, counts] of [...perOperation.entries()].sort())
        console.log(
          `  ${key}: ${[...counts.entries()]
            .sort(([a], [b]) => a - b)
            .map(([status, n]) => `${status}×${n}`)
            .join(' ')}`,
        );
    const report = [...groups.values()]
      .sort((a, b) => a.signature.localeCompare(b.signature))
      .map((g) =>
        [
          `- ${g.signature} (×${g.count}, first at run ${g.firstIndex})`,
          describeOutcome(g.first),
          ...(g.minimal ? ['  shrunk to:', describeOutcome(g.minimal)] : []),
        ].join('\n'),
      )
      .join('\n');
    expect(index).toBe(RUNS);
    // every documented operation was tried and got past the guard (an answer other than 401/403)...
    const keys = operations.map((op) => op.key);
    expect
      .soft(
        keys.filter((key) => !exercised.has(key)),
        'operations never tried',
      )
      .toEqual([]);
    const pastGuard = (key: string) => [...(perOperation.get(key)?.keys() ?? [])].some((s) => s !== 401 && s !== 403);
    expect
      .soft(
        keys.filter((key) => !pastGuard(key)),
        'operations that only ever answered 401/403',
      )
      .toEqual([]);
    // ...and most of those that can succeed (a 2xx documented) did
    const canSucceed = operations.filter((op) => op.successes.length > 0).map((op) => op.key);
    const neverOk = canSucceed.filter((key) => !succeeded.has(key));
    expect.soft(neverOk.length, `never 2xx: ${neverOk.join(', ')}`).toBeLessThanOrEqual(canSucceed.length / 4);
    expect(groups.size, `${groups.size} distinct failures (seed ${SEED}):\n${report}`).toBe(0);
  }, 240_000);
});
