import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The backend's own Prometheus metrics (NOP additions are prefixed nop_). One registry per app. */
export function createTelemetry() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'nop_http_request_duration_seconds',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const ingested = new Counter({
    name: 'nop_results_ingested_total',
    help: 'Check results stored (re-sent duplicates excluded)',
    registers: [registry],
  });
  const agentLinks = new Gauge({
    name: 'nop_agent_links',
    help: 'Agents connected to this replica',
    registers: [registry],
  });
  const streamClients = new Gauge({
    name: 'nop_stream_clients',
    help: 'WebSocket stream clients of this replica',
    registers: [registry],
  });

  const instrument = (app: FastifyInstance) =>
    app.addHook('onResponse', async (request, reply) => {
      requests.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

  return { registry, instrument, ingested, agentLinks, streamClients };
}
export type Telemetry = ReturnType<typeof createTelemetry>;
