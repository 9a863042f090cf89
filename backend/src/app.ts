import { availableParallelism } from 'node:os';
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import { STREAM_SUBPROTOCOL } from '@nop/protocol';
import type { Redis } from 'ioredis';
import type { Bus } from './bus/bus.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { graphqlRoutes, graphqlSubprotocol } from './graphql/plugin.ts';
import { authGuard } from './http/auth-guard.ts';
import { errors, frameworkErrors, installErrorHandlers } from './http/errors.ts';
import { installInputGuard } from './http/input-guard.ts';
import { clientErrorHandler, createLimitedServer } from './http/server.ts';
import { createTelemetry } from './http/telemetry.ts';
import { createMemoryRateCounter, createRedisRateCounter } from './lib/rate-counter.ts';
import { agentLink } from './modules/agents/link.ts';
import { agentRoutes } from './modules/agents/routes.ts';
import { createAgentService } from './modules/agents/service.ts';
import { checkRoutes } from './modules/checks/routes.ts';
import { createCheckService } from './modules/checks/service.ts';
import { auditRecorder } from './modules/audit/recorder.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { createAuthenticator } from './modules/auth/authenticator.ts';
import type { JwtService } from './modules/auth/jwt.ts';
import { createPasswordHasher } from './modules/auth/passwords.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { createAuthService } from './modules/auth/service.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { metricsRoutes } from './modules/metrics/routes.ts';
import { createIngest } from './modules/results/ingest.ts';
import { resultsRoutes } from './modules/results/routes.ts';
import { streamRoutes } from './modules/stream/routes.ts';
import { apiTokenRoutes } from './modules/tokens/routes.ts';
import { createApiTokenService } from './modules/tokens/service.ts';
import { userRoutes } from './modules/users/routes.ts';
import { createUserService } from './modules/users/service.ts';
import type { SecretCipher } from './secrets/cipher.ts';
import { dashboard } from './web/static.ts';

/** Settings the app reads; tests leave out what they do not care about and get these defaults. */
export type AppConfig = Pick<Config, 'NOP_AUTH_RATE_LIMIT' | 'NOP_PUBLIC_URL'> &
  Partial<
    Pick<
      Config,
      | 'NOP_SIGNUP'
      | 'NOP_SIGNUP_ROLE'
      | 'NOP_TRUST_PROXY'
      | 'NOP_ACCOUNT_LOGIN_LIMIT'
      | 'NOP_HASH_CONCURRENCY'
      | 'NOP_MAX_AGENTS_PER_USER'
      | 'NOP_MAX_CHECKS_PER_AGENT'
      | 'NOP_MIN_CHECK_INTERVAL'
      | 'NOP_MAX_CONNECTIONS_PER_ADDRESS'
      | 'NOP_REQUEST_TIMEOUT'
      | 'NOP_AGENT_LEASE'
      | 'NOP_RETENTION_RAW'
    >
  >;

export interface AppDeps {
  config: AppConfig;
  db: Db;
  bus: Bus;
  jwt: JwtService;
  cipher: SecretCipher;
  /** shared rate-limit counters between replicas */
  redis?: Redis;
  /** prefix of this stack's keys in that Redis (NOP_BUS_PREFIX): stacks sharing a Redis keep apart */
  redisPrefix?: string;
  /** a pino logger; none (silent) in tests */
  logger?: FastifyBaseLogger;
  dashboardRoot?: string;
  /** told about every route as it is registered (the OpenAPI drift test lists them) */
  onRoute?: (method: string, url: string) => void;
}

export interface Services {
  auth: ReturnType<typeof createAuthService>;
  users: ReturnType<typeof createUserService>;
  agents: ReturnType<typeof createAgentService>;
  checks: ReturnType<typeof createCheckService>;
  authenticator: ReturnType<typeof createAuthenticator>;
  ingest: ReturnType<typeof createIngest>;
}
// Spelled out: Fastify instances are thenables, so Awaited<> of buildApp() would drop `services`.
export type App = FastifyInstance & { services: Services };

const LOGIN_WINDOW_MS = 15 * 60_000;

/** One core short of all (at most 4): hashing can never take the core the event loop runs on. */
export const defaultHashConcurrency = () => Math.min(4, Math.max(1, availableParallelism() - 1));

/** The composition root: wires plugins together and nothing else. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, db, bus } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: 4 * 1024 * 1024,
    // ids longer than this are refused by the router (a problem+json 414), not matched
    routerOptions: { maxParamLength: 500 },
    serverFactory: createLimitedServer({
      requestTimeoutMs: (config.NOP_REQUEST_TIMEOUT ?? 10) * 1000,
      maxConnectionsPerAddress: config.NOP_MAX_CONNECTIONS_PER_ADDRESS ?? 0,
    }),
    frameworkErrors,
    clientErrorHandler,
    // X-Forwarded-* only when told a proxy sets them; else a client could pose as any address
    trustProxy: config.NOP_TRUST_PROXY ?? false,
    // health checks and scrapes arrive every few seconds: logging them would drown everything else
    logController: new LogController({
      disableRequestLogging: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url),
    }),
  });
  installErrorHandlers(app);
  installInputGuard(app);
  if (deps.onRoute)
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) deps.onRoute!(method, route.url);
    });
  // The API speaks JSON only: any other body is a 415, not a string for the schemas to trip over.
  app.removeContentTypeParser('text/plain');
  // An empty body labelled JSON (curl -X POST -H 'content-type: application/json') is no body, not
  // malformed JSON: routes without a body (logout, DELETE) then work, the others name the missing body.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : json(request, body as string, done),
  );

  const telemetry = createTelemetry();
  telemetry.instrument(app);
  const counter = (name: string, windowMs: number) =>
    deps.redis
      ? createRedisRateCounter(deps.redis, `${deps.redisPrefix ?? 'nop'}:limit:${name}`, windowMs, (err) =>
          app.log.warn({ reason: err.message }, 'shared rate counter unavailable; counting on this replica'),
        )
      : createMemoryRateCounter(windowMs);

  const hasher = createPasswordHasher(config.NOP_HASH_CONCURRENCY ?? defaultHashConcurrency());
  const authenticator = createAuthenticator({
    db,
    bus,
    jwt: deps.jwt,
    onError: (err) => app.log.warn({ reason: err.message }, 'recording the last use of a credential failed'),
  });
  const stopRevocations = await authenticator.start();
  app.addHook('onClose', async () => stopRevocations());
  const auth = createAuthService({
    db,
    jwt: deps.jwt,
    hasher,
    authenticator,
    loginFailures: counter('login-failures', LOGIN_WINDOW_MS),
    settings: {
      signup: config.NOP_SIGNUP ?? 'closed',
      signupRole: config.NOP_SIGNUP_ROLE ?? 'viewer',
      accountLoginLimit: config.NOP_ACCOUNT_LOGIN_LIMIT ?? 10,
    },
  });
  const users = createUserService({ db, hasher, authenticator, issue: auth.issue });
  const tokens = createApiTokenService({ db, authenticator, creations: counter('token-creations', 3_600_000) });
  const checks = createCheckService(db, bus, deps.cipher, {
    minIntervalMs: config.NOP_MIN_CHECK_INTERVAL ?? 1000,
    checksPerAgent: config.NOP_MAX_CHECKS_PER_AGENT ?? 1000,
  });
  const agents = createAgentService(
    db,
    bus,
    deps.cipher,
    {
      agentsPerUser: config.NOP_MAX_AGENTS_PER_USER ?? 100,
      checksPerAgent: config.NOP_MAX_CHECKS_PER_AGENT ?? 1000,
    },
    checks,
  );
  const ingest = createIngest(db, bus, {
    onIngested: (n) => telemetry.ingested.inc(n),
    onPublishFailed: (err) =>
      app.log.warn({ reason: err.message }, 'results stored but not streamed live: the bus refused them'),
  });

  // Security headers; the dashboard loads only its own scripts and talks only to its own origin.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        upgradeInsecureRequests: null, // embedded mode serves plain http on localhost
      },
    },
    strictTransportSecurity: false, // TLS ends at a proxy in production; HSTS belongs there
  });
  await app.register(rateLimit, {
    global: false,
    ...(deps.redis ? { redis: deps.redis, nameSpace: `${deps.redisPrefix ?? 'nop'}:rate-limit:` } : {}),
    // a Redis outage must not turn every sign-in into a 500: count on this replica meanwhile
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      errors.rateLimited(`too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`, context.ttl / 1000),
  });
  await app.register(websocket, {
    options: {
      // agents seal batches at ~1 MiB: 4 MiB leaves room, while one message cannot hold the event loop long
      maxPayload: 4 * 1024 * 1024,
      // browsers offer [nop.v1, nop.jwt.<token>] (on /graphql: a GraphQL subprotocol and the token): we
      // answer a known name and never echo the token
      handleProtocols: (protocols, request) =>
        graphqlSubprotocol(protocols, request) ?? (protocols.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
    },
  });
  await app.register(authGuard, { authenticator });
  await app.register(auditRecorder, { db });

  const rate = config.NOP_AUTH_RATE_LIMIT;
  await app.register(healthRoutes, {
    db,
    registry: telemetry.registry,
    busEngine: bus.engine,
    ...(deps.redis ? { redis: deps.redis } : {}),
  });
  await app.register(authRoutes, { auth, authenticator, hasher, db, rateLimit: rate });
  await app.register(userRoutes, { users, db, publicUrl: config.NOP_PUBLIC_URL, rateLimit: rate });
  await app.register(apiTokenRoutes, { tokens, rateLimit: rate });
  await app.register(auditRoutes, { db });
  await app.register(agentRoutes, { agents, publicUrl: config.NOP_PUBLIC_URL });
  await app.register(checkRoutes, { checks });
  await app.register(agentLink, {
    db,
    bus,
    agents,
    ingest,
    onLinkCount: (n) => telemetry.agentLinks.set(n),
    leaseMs: (config.NOP_AGENT_LEASE ?? 15) * 1000,
    maxResultAgeMs: (config.NOP_RETENTION_RAW ?? 14) * 86_400_000,
  });
  await app.register(metricsRoutes, { db });
  await app.register(resultsRoutes, { db });
  await app.register(streamRoutes, {
    bus,
    authenticator,
    onClientCount: (n) => telemetry.streamClients.set(n),
  });
  await app.register(graphqlRoutes, { agents, checks, db, bus, authenticator });
  await app.register(dashboard, { root: deps.dashboardRoot });

  return Object.assign(app, { services: { auth, users, agents, checks, authenticator, ingest } }) as unknown as App;
}
