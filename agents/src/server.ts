import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { splitHostPort } from './checks/target.ts';
import { handleProbe } from './probe-endpoint.ts';

export interface HealthSource {
  health(): Record<string, unknown>;
  /** refreshes gauges that are cheaper to read at scrape time */
  beforeScrape?(): void;
  /** more routes (the control API): returns true when it answered the request */
  handle?(req: IncomingMessage, res: ServerResponse): boolean;
  registry: Registry;
}

export interface StatusServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** GET /health (JSON), GET /metrics (Prometheus text) and GET /probe (blackbox-style, see probe-endpoint.ts) on `listen` ("host:port", port 0 = any). */
export async function startStatusServer(listen: string, source: HealthSource): Promise<StatusServer> {
  const target = splitHostPort(listen);
  if (!target) throw new Error(`listen: "${listen}" must be host:port`);
  const server = createServer((req, res) => {
    if (source.handle?.(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(source.health()));
      return;
    }
    if (path === '/metrics') {
      source.beforeScrape?.();
      source.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': source.registry.contentType }).end(text))
        .catch((error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`));
      return;
    }
    if (path === '/probe') {
      handleProbe(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /health, /metrics or /probe\n');
  });
  // Prometheus keeps idle scrape connections for 5 minutes (and blackbox_exporter never drops
  // them): as long here, so scrapes every 15-60 s reuse their connection instead of paying a
  // new one per probe (a third of a /probe's cost at concurrency 1,000).
  server.keepAliveTimeout = 300_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The deepest accept queue the kernel allows (net.core.somaxconn caps it; Go's servers, such as
    // blackbox_exporter, ask for the same): Node's default of 511 overflows when Prometheus opens
    // a thousand scrape connections at once, and each dropped SYN waits a 1 s retransmit.
    server.listen({ port: target.port, host: target.host, backlog: 65_535 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
