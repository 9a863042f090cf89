import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import { STREAM_SUBPROTOCOL } from '@nop/protocol';
import type { Redis } from 'ioredis';
import type { Bus } from './bus/bus.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { authGuard } from './http/auth-guard.ts';
import { errors, installErrorHandlers } from './http/errors.ts';
import { createTelemetry } from './http/telemetry.ts';
import { agentLink } from './modules/agents/link.ts';
import { agentRoutes } from './modules/agents/routes.ts';
import { createAgentService } from './modules/agents/service.ts';
import type { JwtService } from './modules/auth/jwt.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { createAuthService } from './modules/auth/service.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { metricsRoutes } from './modules/metrics/routes.ts';
import { createIngest } from './modules/results/ingest.ts';
import { streamRoutes } from './modules/stream/routes.ts';
import { dashboard } from './web/static.ts';

export interface AppDeps {
  config: Pick<Config, 'NOP_AUTH_RATE_LIMIT' | 'NOP_PUBLIC_URL'> &
    Partial<Pick<Config, 'NOP_SIGNUP' | 'NOP_TRUST_PROXY'>>;
  db: Db;
  bus: Bus;
  jwt: JwtService;
  /** shared rate-limit counters between replicas */
  redis?: Redis;
  /** a pino logger; none (silent) in tests */
  logger?: FastifyBaseLogger;
  dashboardRoot?: string;
  /** told about every route as it is registered (the OpenAPI drift test lists them) */
  onRoute?: (method: string, url: string) => void;
}

export interface Services {
  auth: ReturnType<typeof createAuthService>;
  agents: ReturnType<typeof createAgentService>;
  ingest: ReturnType<typeof createIngest>;
}
// Spelled out: Fastify instances are thenables, so Awaited<> of buildApp() would drop `services`.
export type App = FastifyInstance & { services: Services };

/** The composition root: wires plugins together and nothing else. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: 4 * 1024 * 1024,
    // X-Forwarded-* only when told a proxy sets them; else a client could pose as any address
    trustProxy: deps.config.NOP_TRUST_PROXY ?? false,
    // health checks and scrapes arrive every few seconds: logging them would drown everything else
    logController: new LogController({
      disableRequestLogging: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url),
    }),
  });
  installErrorHandlers(app);
  if (deps.onRoute)
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) deps.onRoute!(method, route.url);
    });
  // The API speaks JSON only: any other body is a 415, not a string for the schemas to trip over.
  app.removeContentTypeParser('text/plain');

  const telemetry = createTelemetry();
  telemetry.instrument(app);
  const auth = createAuthService(deps.db, deps.jwt, deps.config.NOP_SIGNUP);
  const agents = createAgentService(deps.db, deps.bus);
  const ingest = createIngest(deps.db, deps.bus, (n) => telemetry.ingested.inc(n));

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
    ...(deps.redis ? { redis: deps.redis, nameSpace: 'nop-rate-limit-' } : {}),
    errorResponseBuilder: (_request, context) =>
      errors.rateLimited(`too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  await app.register(websocket, {
    options: {
      maxPayload: 8 * 1024 * 1024,
      // browsers offer [nop.v1, nop.jwt.<token>]: we answer nop.v1 and never echo the token
      handleProtocols: (protocols) => (protocols.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
    },
  });
  await app.register(authGuard, { jwt: deps.jwt });

  await app.register(healthRoutes, { db: deps.db, registry: telemetry.registry, busEngine: deps.bus.engine });
  await app.register(authRoutes, { auth, db: deps.db, rateLimit: deps.config.NOP_AUTH_RATE_LIMIT });
  await app.register(agentRoutes, { agents, publicUrl: deps.config.NOP_PUBLIC_URL });
  await app.register(agentLink, {
    db: deps.db,
    bus: deps.bus,
    agents,
    ingest,
    onLinkCount: (n) => telemetry.agentLinks.set(n),
  });
  await app.register(metricsRoutes, { db: deps.db });
  await app.register(streamRoutes, { bus: deps.bus, onClientCount: (n) => telemetry.streamClients.set(n) });
  await app.register(dashboard, { root: deps.dashboardRoot });

  return Object.assign(app, { services: { auth, agents, ingest } }) as unknown as App;
}
