import { createSocket, type Socket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket, { type Answer, type Question } from 'dns-packet';

/**
 * A tiny authoritative DNS server for tests, on UDP and TCP at the same port: fixed records of
 * every type the prober asks for, and a few rigged names:
 * - big.nop.test: 40 A records; over UDP only a truncated (TC) empty answer, the full one over TCP
 * - delay.nop.test: answered after DELAY_MS
 * - slow.nop.test: never answered
 * - fail.nop.test / refused.nop.test: SERVFAIL / REFUSED; unknown names NXDOMAIN
 */

export const DELAY_MS = 400;

const SOA = {
  mname: 'ns1.nop.test',
  rname: 'hostmaster.nop.test',
  serial: 2026112801,
  refresh: 3600,
  retry: 600,
  expire: 86400,
  minimum: 60,
};

export const ZONE: Record<string, Answer[]> = {
  'web.nop.test': [
    { type: 'A', name: 'web.nop.test', ttl: 60, data: '192.0.2.10' },
    { type: 'A', name: 'web.nop.test', ttl: 60, data: '192.0.2.11' },
  ],
  'v6.nop.test': [{ type: 'AAAA', name: 'v6.nop.test', ttl: 60, data: '2001:db8::1' }],
  'nop.test': [
    { type: 'MX', name: 'nop.test', ttl: 60, data: { preference: 10, exchange: 'mail.nop.test' } },
    { type: 'NS', name: 'nop.test', ttl: 60, data: 'ns1.nop.test' },
    { type: 'NS', name: 'nop.test', ttl: 60, data: 'ns2.nop.test' },
    { type: 'SOA', name: 'nop.test', ttl: 60, data: SOA },
  ],
  'txt.nop.test': [{ type: 'TXT', name: 'txt.nop.test', ttl: 60, data: ['v=spf1 ', '-all'] }],
  'alias.nop.test': [{ type: 'CNAME', name: 'alias.nop.test', ttl: 60, data: 'web.nop.test' }],
  '_sip._tcp.nop.test': [
    {
      type: 'SRV',
      name: '_sip._tcp.nop.test',
      ttl: 60,
      data: { priority: 10, weight: 5, port: 5060, target: 'sip.nop.test' },
    },
  ],
  '10.2.0.192.in-addr.arpa': [{ type: 'PTR', name: '10.2.0.192.in-addr.arpa', ttl: 60, data: 'web.nop.test' }],
  'big.nop.test': Array.from({ length: 40 }, (_, i) => ({
    type: 'A' as const,
    name: 'big.nop.test',
    ttl: 60,
    data: `198.51.100.${i + 1}`,
  })),
  'many.nop.test': Array.from({ length: 70 }, (_, i) => ({
    type: 'A' as const,
    name: 'many.nop.test',
    ttl: 60,
    data: `203.0.113.${i + 1}`,
  })),
  // eight 255-byte strings: one record's data past what a result keeps
  'longtxt.nop.test': [{ type: 'TXT', name: 'longtxt.nop.test', ttl: 60, data: Array(8).fill('x'.repeat(255)) }],
  'delay.nop.test': [{ type: 'A', name: 'delay.nop.test', ttl: 60, data: '192.0.2.99' }],
  'empty.nop.test': [],
};

/**
 * SO_RCVBUF of the UDP socket. The kernel's default (~200 KiB) holds only a few hundred small
 * datagrams (each costs ~0.5-1 KiB of buffer), so 1,000 queries in flight (the prober benchmark)
 * overflowed it whenever this process fell behind, and the lost queries looked like prober
 * timeouts. The kernel caps the request at net.core.rmem_max and doubles it.
 */
const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface TestDnsServer {
  port: number;
  queries: { name: string; type: string; transport: 'udp' | 'tcp' }[];
  close(): Promise<void>;
}

/** The answer to one query, or undefined when it must go unanswered. */
function answer(query: ReturnType<typeof dnsPacket.decode>, transport: 'udp' | 'tcp'): Buffer | undefined {
  const question = query.questions?.[0] as Question;
  const name = question.name.toLowerCase();
  let rcode: number = RCODE.NOERROR;
  let answers: Answer[] = [];
  let flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED;
  if (name === 'fail.nop.test') rcode = RCODE.SERVFAIL;
  else if (name === 'refused.nop.test') rcode = RCODE.REFUSED;
  else if (!(name in ZONE)) rcode = RCODE.NXDOMAIN;
  else {
    const records = ZONE[name]!;
    answers = records.filter((a) => a.type === question.type);
    const cname = records.find((a) => a.type === 'CNAME');
    if (answers.length === 0 && cname && question.type !== 'CNAME') {
      const target = (cname as { data: string }).data.toLowerCase();
      answers = [cname, ...(ZONE[target] ?? []).filter((a) => a.type === question.type)];
    }
    if (name === 'big.nop.test' && transport === 'udp') {
      answers = [];
      flags |= dnsPacket.TRUNCATED_RESPONSE;
    }
  }
  return dnsPacket.encode({ type: 'response', id: query.id, flags: flags | rcode, questions: [question], answers });
}

function handle(
  message: Buffer,
  transport: 'udp' | 'tcp',
  queries: TestDnsServer['queries'],
  reply: (b: Buffer) => void,
) {
  let query;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return;
  }
  const question = query.questions?.[0];
  if (!question) return;
  const name = question.name.toLowerCase();
  queries.push({ name, type: question.type, transport });
  if (name === 'slow.nop.test') return; // never answered: the client must time out
  const response = answer(query, transport);
  if (!response) return;
  if (name === 'delay.nop.test') setTimeout(() => reply(response), DELAY_MS).unref();
  else reply(response);
}

async function bindPair(host: string, queries: TestDnsServer['queries']): Promise<{ udp: Socket; tcp: Server }> {
  for (let attempt = 0; ; attempt++) {
    const udp: Socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: RECV_BUFFER_BYTES });
    udp.on('message', (message, peer) =>
      handle(message, 'udp', queries, (response) => udp.send(response, peer.port, peer.address)),
    );
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => resolve());
    });
    const port = (udp.address() as AddressInfo).port;
    const sockets = new Set<TcpSocket>();
    const tcp = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      let buffer: Buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        while (buffer.length >= 2 && buffer.length >= buffer.readUInt16BE(0) + 2) {
          const message = buffer.subarray(2, buffer.readUInt16BE(0) + 2);
          buffer = buffer.subarray(message.length + 2);
          handle(message, 'tcp', queries, (response) => {
            if (socket.destroyed) return;
            const framed = Buffer.alloc(response.length + 2);
            framed.writeUInt16BE(response.length, 0);
            response.copy(framed, 2);
            socket.write(framed);
          });
        }
      });
    });
    (tcp as Server & { tracked?: Set<TcpSocket> }).tracked = sockets;
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (ok) return { udp, tcp };
    udp.close();
    if (attempt >= 20) throw new Error('no port free for both UDP and TCP');
  }
}

export async function startDnsServer(host = '127.0.0.1'): Promise<TestDnsServer> {
  const queries: TestDnsServer['queries'] = [];
  const { udp, tcp } = await bindPair(host, queries);
  return {
    port: (udp.address() as AddressInfo).port,
    queries,
    close: async () => {
      for (const socket of (tcp as Server & { tracked?: Set<TcpSocket> }).tracked ?? []) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
