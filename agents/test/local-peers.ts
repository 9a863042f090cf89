import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { startDnsServer, type TestDnsServer } from './dns-server.ts';

const listen = (server: Server | HttpServer) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

/** A loopback port that was free a moment ago (listened on, then closed): nothing answers there. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface LocalPeers {
  /** accepts and drops connections */
  tcpPort: number;
  /** 200 "hello\n", and 500 on /down */
  webPort: number;
  dns: TestDnsServer;
  /** nothing listens: connections are refused */
  closedPort: number;
  close(): Promise<void>;
}

/** The loopback servers the CLI tests probe: TCP, HTTP, DNS, and a closed port. */
export async function startLocalPeers(): Promise<LocalPeers> {
  const tcp = createServer((socket) => socket.destroy());
  const web = createHttpServer((req, res) => {
    if (req.url === '/down') res.writeHead(500).end('no');
    else res.writeHead(200).end('hello\n');
  });
  const [tcpPort, webPort, dns, closedPort] = await Promise.all([
    listen(tcp),
    listen(web),
    startDnsServer(),
    freePort(),
  ]);
  return {
    tcpPort,
    webPort,
    dns,
    closedPort,
    async close() {
      await new Promise((resolve) => tcp.close(resolve));
      web.closeAllConnections();
      await new Promise((resolve) => web.close(resolve));
      await dns.close();
    },
  };
}
