import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket, { type Answer } from 'dns-packet';

/** A tiny authoritative UDP DNS server for tests: fixed records, a few rigged failure names. */

export const ZONE: Record<string, Answer[]> = {
  'web.nop.test': [
    { type: 'A', name: 'web.nop.test', ttl: 60, data: '192.0.2.10' },
    { type: 'A', name: 'web.nop.test', ttl: 60, data: '192.0.2.11' },
  ],
  'v6.nop.test': [{ type: 'AAAA', name: 'v6.nop.test', ttl: 60, data: '2001:db8::1' }],
  'nop.test': [{ type: 'MX', name: 'nop.test', ttl: 60, data: { preference: 10, exchange: 'mail.nop.test' } }],
  'txt.nop.test': [{ type: 'TXT', name: 'txt.nop.test', ttl: 60, data: ['v=spf1 -all'] }],
  'empty.nop.test': [],
};

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface TestDnsServer {
  port: number;
  queries: { name: string; type: string }[];
  close(): Promise<void>;
}

export async function startDnsServer(host = '127.0.0.1'): Promise<TestDnsServer> {
  const socket: Socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const queries: TestDnsServer['queries'] = [];
  socket.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    queries.push({ name, type: question.type });
    if (name === 'slow.nop.test') return; // never answered: the client must time out
    let rcode: number = RCODE.NOERROR;
    let answers: Answer[] = [];
    if (name === 'fail.nop.test') rcode = RCODE.SERVFAIL;
    else if (name === 'refused.nop.test') rcode = RCODE.REFUSED;
    else if (!(name in ZONE)) rcode = RCODE.NXDOMAIN;
    else answers = ZONE[name]!.filter((a) => a.type === question.type);
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | rcode,
      questions: [question],
      answers,
    });
    socket.send(response, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve());
  });
  return {
    port: (socket.address() as AddressInfo).port,
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
