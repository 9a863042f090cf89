import { createSocket } from 'node:dgram';
import { type AddressInfo, createServer } from 'node:net';
import { createRequire } from 'node:module';
import { networkInterfaces } from 'node:os';
import { CheckResult } from '@nop/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/index.ts';
import { lengthFromPayload, pingSocketsAllowed } from '../src/checks/errqueue-socket.ts';
import { fingerprint } from '../src/checks/traceroute.ts';
import { udpLengthOf, udpPayload } from '../src/checks/traceroute-packets.ts';
import { formatTrace } from '../src/checks/traceroute-format.ts';
import { AgentMetrics } from '../src/metrics.ts';
import { spec, tempDir, unchecked, writeFile } from './helpers.ts';
import { freePort } from './local-peers.ts';
import {
  ADDRESSES,
  ADDRESSES6,
  type Chain,
  createChain,
  NOBODY,
  dropAllInput,
  inNetns,
  netnsUnavailable,
  rejectForwardTo,
  removeStaleNetns,
  runAgentInNetns,
} from './traceroute-netns.ts';

type Trace = NonNullable<CheckResult['trace']>;

/** Every probe of every hop: who answered, in TTL order, per flow. */
const addressesOf = (trace: Trace) => trace.flows.map((f) => f.hops.map((h) => h.probes.map((p) => p.address)));

type Method = Trace['method'];

/**
 * udp and tcp probes go through the error queue (the addon is built for the tests); icmp too
 * where ping sockets are allowed: on this host as its ping_group_range says, in the test's
 * namespaces not (a new namespace starts at "1 0") unless a test widens it.
 */
const methodOf = (mode: Trace['mode'], icmp: Method = 'raw'): Method => (mode === 'icmp' ? icmp : 'errqueue');
const HOST_ICMP: Method = pingSocketsAllowed(4) ? 'errqueue' : 'raw';

function expectValid(result: CheckResult, method?: Method): Trace {
  expect(CheckResult.parse(result)).toEqual(result);
  expect(result.trace).toBeDefined();
  expect(result.trace!.method).toBe(method ?? methodOf(result.trace!.mode));
  expect(result.trace!.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  return result.trace!;
}

function expectAllRttsPositive(trace: Trace) {
  for (const flow of trace.flows)
    for (const hop of flow.hops)
      for (const probe of hop.probes) {
        expect(probe.address).not.toBeNull();
        expect(probe.rttMs).toBeGreaterThan(0);
        expect(probe.rttMs).toBeLessThan(1000);
      }
}

/** Linux socket option numbers (raw-socket takes numbers) */
const SOL_SOCKET = 1;
const SO_RCVBUFFORCE = 33;

function ipv6Loopback(): boolean {
  return networkInterfaces().lo?.some((a) => a.address === '::1') ?? false;
}

describe('traceroute on loopback', () => {
  for (const mode of ['udp', 'icmp', 'tcp'] as const)
    it(`${mode}: reaches 127.0.0.1 in one hop (method ${methodOf(mode, HOST_ICMP)})`, async () => {
      const result = await runCheck(
        spec({ id: `lo-${mode}`, type: 'traceroute', target: '127.0.0.1', mode, probeTimeout: 2000, timeout: 5000 }),
      );
      const trace = expectValid(result, methodOf(mode, HOST_ICMP));
      expect(result).toMatchObject({ success: true, checkId: `lo-${mode}`, type: 'traceroute' });
      expect(result.error).toBeUndefined();
      expect(trace).toMatchObject({ mode, destination: '127.0.0.1' });
      expect(addressesOf(trace)).toEqual([[['127.0.0.1', '127.0.0.1', '127.0.0.1']]]);
      expect(trace.flows[0]!.reached).toBe(true);
      expectAllRttsPositive(trace);
      expect(result.metrics).toMatchObject({
        hop_count: 1,
        probes_sent: 3,
        probes_answered: 3,
        loss_ratio: 0,
        flows: 1,
        reached_flows: 1,
      });
      expect(result.durationMs).toBeGreaterThan(0);
    });

  it.runIf(ipv6Loopback())('reaches ::1 over IPv6 (udp errqueue, icmp, tcp)', async () => {
    for (const mode of ['udp', 'icmp', 'tcp'] as const) {
      const result = await runCheck(spec({ id: `lo6-${mode}`, type: 'traceroute', target: '[::1]', mode }));
      const trace = expectValid(result, methodOf(mode, HOST_ICMP));
      expect(result.success, result.error).toBe(true);
      expect(addressesOf(trace)).toEqual([[['::1', '::1', '::1']]]);
      expectAllRttsPositive(trace);
    }
  });

  it('udp errqueue: a UDP reply from the destination counts as reached (echoed or not)', async () => {
    for (const echo of [true, false]) {
      const server = createSocket('udp4');
      server.on('message', (message, peer) => server.send(echo ? message : 'pong', peer.port, peer.address));
      await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
      try {
        const port = server.address().port;
        const result = await runCheck(
          spec({ id: 'reply', type: 'traceroute', target: '127.0.0.1', mode: 'udp', port, probeTimeout: 2000 }),
        );
        const trace = expectValid(result, 'errqueue');
        expect(result.success, result.error).toBe(true);
        expect(addressesOf(trace)).toEqual([[['127.0.0.1', '127.0.0.1', '127.0.0.1']]]);
        expectAllRttsPositive(trace);
      } finally {
        server.close();
      }
    }
  });

  it("tcp errqueue: every SYN of a flow leaves from the flow's one source port (Paris), each flow its own", async () => {
    const server = createServer((socket) => socket.on('error', () => undefined)); // each accepted one is reset
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    // The wire, as root: a raw TCP socket sees a copy of every segment arriving on loopback.
    const raw = createRequire(import.meta.url)('raw-socket') as typeof import('raw-socket');
    const sniffer = raw.createSocket({ protocol: raw.Protocol.TCP });
    // It copies every TCP segment of the host (parallel tests too): a 16 MiB queue, past rmem_max.
    (sniffer as unknown as { setOption(l: number, o: number, v: number): void }).setOption(
      SOL_SOCKET,
      SO_RCVBUFFORCE,
      16 << 20,
    );
    const synSources: number[] = [];
    sniffer.on('message', (packet: Buffer) => {
      const tcp = packet.subarray((packet[0]! & 0x0f) * 4);
      if (tcp.readUInt16BE(2) === port && (tcp[13]! & 0x12) === 0x02) synSources.push(tcp.readUInt16BE(0));
    });
    try {
      const result = await runCheck(
        spec({ id: 'paris', type: 'traceroute', target: '127.0.0.1', mode: 'tcp', port, flows: 2, probesPerHop: 3 }),
      );
      const trace = expectValid(result, 'errqueue');
      expect(result.success, result.error).toBe(true);
      expect(trace.flows.map((f) => f.reached)).toEqual([true, true]);
      for (let i = 0; i < 100 && synSources.length < 6; i++) await new Promise((r) => setTimeout(r, 10));
      expect(synSources).toHaveLength(6);
      const ports = [...new Set(synSources)];
      expect(ports).toHaveLength(2);
      for (const p of ports) expect(synSources.filter((q) => q === p)).toHaveLength(3);
    } finally {
      sniffer.close();
      server.close();
    }
  });

  it('tcp errqueue: a closed port answers with a RST, which counts as reached', async () => {
    const port = await freePort();
    const result = await runCheck(spec({ id: 'rst', type: 'traceroute', target: '127.0.0.1', mode: 'tcp', port }));
    const trace = expectValid(result, 'errqueue');
    expect(result.success, result.error).toBe(true);
    expect(addressesOf(trace)).toEqual([[['127.0.0.1', '127.0.0.1', '127.0.0.1']]]);
    expectAllRttsPositive(trace);
  });

  it('errqueue matches a quoted payload by its tag byte, even padded (RFC 4884) or cut', () => {
    for (const seq of [0, 1, 87, 200, 255, 256 + 7]) {
      const payload = udpPayload(seq);
      expect(payload.length + 8).toBe(udpLengthOf(seq));
      expect(lengthFromPayload(payload)).toBe(udpLengthOf(seq));
      expect(lengthFromPayload(Buffer.concat([payload, Buffer.alloc(128)]).subarray(0, 100))).toBe(udpLengthOf(seq));
      expect(lengthFromPayload(payload.subarray(0, 12))).toBe(udpLengthOf(seq));
    }
    expect(lengthFromPayload(udpPayload(3).subarray(0, 11))).toBeUndefined();
    expect(lengthFromPayload(Buffer.from('pong from somebody'))).toBeUndefined();
  });

  it('resolves hop names when asked (getnameinfo: /etc/hosts first)', async () => {
    const result = await runCheck(
      spec({ id: 'names', type: 'traceroute', target: 'localhost', mode: 'icmp', resolveNames: true, ipVersion: 4 }),
    );
    const trace = expectValid(result, HOST_ICMP);
    expect(result.success).toBe(true);
    expect(result.metrics.dns_ms).toBeGreaterThanOrEqual(0);
    expect(trace.flows[0]!.hops[0]!.names).toEqual({ '127.0.0.1': 'localhost' });
  });

  it('reports a bad target as data', async () => {
    const bad = await runCheck(unchecked({ id: 'bad', type: 'traceroute', target: 'h' }, { target: 'not a host!' }));
    expect(bad).toMatchObject({ success: false, durationMs: null, error: 'invalid host "not a host!"' });
    const family = await runCheck(spec({ id: 'fam', type: 'traceroute', target: '127.0.0.1', ipVersion: 6 }));
    expect(family).toMatchObject({ success: false, error: 'target 127.0.0.1 is not an IPv6 address' });
  });

  it('fingerprints the hop addresses of each flow, not the flow order or lost probes', () => {
    const hop = (ttl: number, ...addresses: (string | null)[]) => ({
      ttl,
      probes: addresses.map((address) => ({ address, rttMs: address ? 1 : null })),
    });
    const a = { flowId: 0, reached: true, hops: [hop(1, '10.0.0.1', null), hop(2, '10.0.0.2')] };
    const b = { flowId: 1, reached: true, hops: [hop(1, '10.0.0.9'), hop(2, null, '10.0.0.2')] };
    expect(fingerprint([a, b])).toBe(
      fingerprint([
        { ...b, flowId: 0 },
        { ...a, flowId: 1 },
      ]),
    );
    expect(fingerprint([a])).not.toBe(fingerprint([b]));
    expect(fingerprint([a])).toMatch(/^[0-9a-f]{12}$/);
  });

  it('prints a result like the classic traceroute tool', async () => {
    const result = await runCheck(
      spec({ id: 'fmt', type: 'traceroute', target: 'localhost', mode: 'icmp', ipVersion: 4 }),
    );
    const text = formatTrace(
      {
        ...result,
        metrics: { ...result.metrics },
        trace: {
          ...result.trace!,
          flows: [
            {
              flowId: 0,
              reached: true,
              hops: [
                {
                  ttl: 1,
                  probes: [
                    { address: null, rttMs: null },
                    { address: '10.0.0.1', rttMs: 0.5 },
                  ],
                },
                {
                  ttl: 2,
                  probes: [
                    { address: '127.0.0.1', rttMs: 1.25 },
                    { address: '127.0.0.1', rttMs: 1 },
                  ],
                  names: { '127.0.0.1': 'localhost' },
                },
              ],
            },
          ],
        },
      },
      30,
    );
    expect(text).toBe(
      [
        'traceroute to localhost (127.0.0.1), icmp probes (raw socket), 30 hops max, 1 flow',
        ' 1  *  10.0.0.1  0.500 ms',
        ' 2  localhost (127.0.0.1)  1.250 ms  1.000 ms',
        `reached 127.0.0.1 in 1 hop, fingerprint ${result.trace!.fingerprint}`,
        '',
      ].join('\n'),
    );
  });

  it('prints which method a udp trace used (error queue)', async () => {
    const result = await runCheck(spec({ id: 'fmt-udp', type: 'traceroute', target: '127.0.0.1', mode: 'udp' }));
    const lines = formatTrace(result, 30).split('\n');
    expect(lines[0]).toBe('traceroute to 127.0.0.1 (127.0.0.1), udp probes (error queue), 30 hops max, 1 flow');
    expect(lines[1]).toMatch(/^ 1 {2}127\.0\.0\.1( {2}\d+\.\d{3} ms){3}$/);
  });

  it('sets nop_traceroute_hop_count and the route fingerprint info gauge', async () => {
    const check = spec({ id: 'lo-trace', type: 'traceroute', target: '127.0.0.1', mode: 'icmp' });
    const result = await runCheck(check);
    const metrics = new AgentMetrics('edge-1');
    metrics.observe(result, check);
    const text = await metrics.registry.metrics();
    const labels = 'agent="edge-1",check="lo-trace",target="127.0.0.1",type="traceroute"';
    expect(text).toContain(`nop_traceroute_hop_count{${labels}} 1`);
    expect(text).toContain(
      `nop_traceroute_route_fingerprint_info{${labels},fingerprint="${result.trace!.fingerprint}"} 1`,
    );
    // A new route replaces the old fingerprint's series; a check that leaves the config drops both.
    metrics.observe({ ...result, trace: { ...result.trace!, fingerprint: 'abcdefabcdef' } }, check);
    const after = await metrics.registry.metrics();
    expect(after).not.toContain(result.trace!.fingerprint);
    expect(after).toContain('fingerprint="abcdefabcdef"} 1');
    metrics.forget('lo-trace');
    expect(await metrics.registry.metrics()).not.toContain('lo-trace');
  });
});

const unavailable = netnsUnavailable();

describe.skipIf(unavailable !== undefined)(
  `traceroute through namespaces src → r1 → r2 → dst ${unavailable ?? ''}`,
  () => {
    let chain: Chain;
    let dir: string;
    const first = new Map<string, CheckResult>();
    const second = new Map<string, CheckResult>();
    let raw: Map<string, CheckResult>;
    let unprivileged: Map<string, CheckResult>;
    let viaPingSockets: Map<string, CheckResult>;
    const path = [[ADDRESSES.r1], [ADDRESSES.r2], [ADDRESSES.dst]];

    const checks = (suffix = '') =>
      [
        { id: 'udp', mode: 'udp' },
        { id: 'icmp', mode: 'icmp' },
        { id: 'tcp', mode: 'tcp' },
        { id: 'udp-flows', mode: 'udp', flows: 2 },
        { id: 'icmp-flows', mode: 'icmp', flows: 2 },
        { id: 'tcp-flows', mode: 'tcp', flows: 2 },
        { id: 'short', mode: 'udp', maxHops: 2 },
        { id: 'udp6', mode: 'udp', target: ADDRESSES6.dst },
        { id: 'icmp6', mode: 'icmp', target: ADDRESSES6.dst },
        { id: 'tcp6', mode: 'tcp', target: ADDRESSES6.dst },
      ].map((c) => ({
        type: 'traceroute',
        target: ADDRESSES.dst,
        probeTimeout: 2000,
        timeout: 5000,
        maxHops: 8,
        ...c,
        id: `${c.id}${suffix}`,
      }));

    async function runInSrc(
      name: string,
      list: object[],
      options: Parameters<typeof runAgentInNetns>[2] = {},
    ): Promise<Map<string, CheckResult>> {
      const file = writeFile(dir, name, JSON.stringify({ name: 'trace-test', checks: list }));
      const run = await runAgentInNetns(chain.src, file, options);
      const results = new Map<string, CheckResult>();
      for (const line of run.stdout.split('\n').filter(Boolean)) {
        const result = CheckResult.parse(JSON.parse(line));
        results.set(result.checkId, result);
      }
      expect(results.size, run.stderr).toBe(list.length);
      return results;
    }

    beforeAll(async () => {
      removeStaleNetns();
      chain = createChain();
      dir = tempDir('nop-trace-');
      for (const [id, result] of await runInSrc('a.yaml', checks())) first.set(id, result);
      for (const [id, result] of await runInSrc('b.yaml', checks())) second.set(id, result);
      // The same udp and tcp traces over raw sockets, and a run as nobody (no capabilities at all).
      const viaQueue = checks().filter((c) => c.mode !== 'icmp');
      raw = await runInSrc('raw.yaml', viaQueue, { env: { NOP_TRACEROUTE_METHOD: 'raw' } });
      unprivileged = await runInSrc(
        'nobody.yaml',
        checks().filter((c) => c.id !== 'short'),
        { uid: NOBODY },
      );
      // ICMP datagram sockets allowed (as many distributions do): icmp traces need no privileges either.
      inNetns(chain.src, 'sysctl', '-qw', 'net.ipv4.ping_group_range=0 2147483647');
      try {
        const icmpOnly = checks().filter((c) => c.mode === 'icmp');
        viaPingSockets = await runInSrc('ping.yaml', icmpOnly, { uid: NOBODY });
      } finally {
        inNetns(chain.src, 'sysctl', '-qw', 'net.ipv4.ping_group_range=1 0');
      }
    });

    afterAll(() => chain?.destroy());

    for (const mode of ['udp', 'icmp', 'tcp'] as const)
      it(`${mode}: finds r1, r2 in order, then reaches dst`, () => {
        const result = first.get(mode)!;
        const trace = expectValid(result);
        expect(result.success, result.error).toBe(true);
        expect(trace).toMatchObject({ mode, destination: ADDRESSES.dst });
        expect(trace.flows).toHaveLength(1);
        expect(trace.flows[0]!.reached).toBe(true);
        expect(trace.flows[0]!.hops.map((h) => h.ttl)).toEqual([1, 2, 3]);
        expect(addressesOf(trace)).toEqual([path.map(([a]) => [a, a, a])]);
        expectAllRttsPositive(trace);
        expect(result.metrics).toMatchObject({
          hop_count: 3,
          probes_sent: 9,
          probes_answered: 9,
          loss_ratio: 0,
          flows: 1,
          reached_flows: 1,
        });
        const destRtts = trace.flows[0]!.hops[2]!.probes.map((p) => p.rttMs!).sort((a, b) => a - b);
        expect(result.durationMs).toBe(destRtts[1]);
      });

    it('IPv6: every mode finds r1, r2 in order, then reaches dst', () => {
      const path6 = [ADDRESSES6.r1, ADDRESSES6.r2, ADDRESSES6.dst];
      for (const mode of ['udp', 'icmp', 'tcp'] as const) {
        const result = first.get(`${mode}6`)!;
        const trace = expectValid(result);
        expect(result.success, `${mode}: ${result.error}`).toBe(true);
        expect(trace.destination).toBe(ADDRESSES6.dst);
        expect(addressesOf(trace), mode).toEqual([path6.map((a) => [a, a, a])]);
        expectAllRttsPositive(trace);
        expect(result.metrics, mode).toMatchObject({ hop_count: 3, probes_sent: 9, probes_answered: 9 });
      }
    });

    for (const mode of ['udp', 'icmp', 'tcp'] as const)
      it(`${mode}: flows: 2 traces twice, both flows reach dst`, () => {
        const result = first.get(`${mode}-flows`)!;
        const trace = expectValid(result);
        expect(result.success).toBe(true);
        expect(trace.flows.map((f) => [f.flowId, f.reached])).toEqual([
          [0, true],
          [1, true],
        ]);
        for (const flow of addressesOf(trace)) expect(flow.map((hop) => [...new Set(hop)])).toEqual(path);
        expect(result.metrics).toMatchObject({ flows: 2, reached_flows: 2, probes_sent: 18, hop_count: 3 });
      });

    it('gives the same fingerprint across runs and modes for the same route', () => {
      const prints = ['udp', 'icmp', 'tcp'].map((id) => first.get(id)!.trace!.fingerprint);
      expect(new Set(prints).size).toBe(1);
      for (const id of first.keys())
        expect(second.get(id)!.trace!.fingerprint, id).toBe(first.get(id)!.trace!.fingerprint);
      expect(first.get('udp-flows')!.trace!.fingerprint).not.toBe(prints[0]);
      expect(first.get('short')!.trace!.fingerprint).not.toBe(prints[0]);
    });

    it('udp and tcp: the errqueue and raw methods see the same path, hop by hop and in the fingerprint', () => {
      for (const id of ['udp', 'udp-flows', 'short', 'tcp', 'tcp-flows', 'udp6', 'tcp6']) {
        const viaRaw = raw.get(id)!;
        const viaQueue = first.get(id)!;
        const rawTrace = expectValid(viaRaw, 'raw');
        const queueTrace = expectValid(viaQueue, 'errqueue');
        expect(viaRaw.success, id).toBe(viaQueue.success);
        expect(addressesOf(rawTrace), id).toEqual(addressesOf(queueTrace));
        expect(rawTrace.fingerprint, id).toBe(queueTrace.fingerprint);
        expect(viaRaw.metrics, id).toMatchObject({
          hop_count: viaQueue.metrics.hop_count,
          probes_sent: viaQueue.metrics.probes_sent,
          probes_answered: viaQueue.metrics.probes_answered,
        });
      }
    });

    it('without privileges (uid nobody, no capabilities): udp and tcp trace via errqueue, icmp needs CAP_NET_RAW', () => {
      for (const mode of ['udp', 'tcp', 'udp6', 'tcp6']) {
        const result = unprivileged.get(mode)!;
        const trace = expectValid(result, 'errqueue');
        expect(result.success, `${mode}: ${result.error}`).toBe(true);
        expect(addressesOf(trace), mode).toEqual(addressesOf(first.get(mode)!.trace!));
        expect(trace.fingerprint, mode).toBe(first.get(mode)!.trace!.fingerprint);
        expectAllRttsPositive(trace);
        if (mode.endsWith('6')) continue;
        const flows = unprivileged.get(`${mode}-flows`)!;
        expect(
          expectValid(flows, 'errqueue').flows.map((f) => f.reached),
          mode,
        ).toEqual([true, true]);
        expect(flows.metrics, mode).toMatchObject({ reached_flows: 2, probes_sent: 18, probes_answered: 18 });
      }
      for (const id of ['icmp', 'icmp-flows', 'icmp6'])
        expect(unprivileged.get(id)!, id).toMatchObject({
          success: false,
          error:
            'icmp traceroute needs root/CAP_NET_RAW or net.ipv4.ping_group_range covering this group (udp and tcp modes need neither)',
        });
    });

    it('icmp without privileges where ping_group_range allows ICMP datagram sockets: errqueue, the path raw sees', () => {
      for (const id of ['icmp', 'icmp-flows', 'icmp6']) {
        const viaPing = viaPingSockets.get(id)!;
        const viaRaw = first.get(id)!; // root, ping sockets not allowed in the namespace: raw
        const trace = expectValid(viaPing, 'errqueue');
        expect(viaPing.success, `${id}: ${viaPing.error}`).toBe(true);
        expect(addressesOf(trace), id).toEqual(addressesOf(expectValid(viaRaw, 'raw')));
        expect(trace.fingerprint, id).toBe(viaRaw.trace!.fingerprint);
        expect(viaPing.metrics, id).toMatchObject({ probes_sent: viaRaw.metrics.probes_sent, loss_ratio: 0 });
        expectAllRttsPositive(trace);
      }
    });

    it('maxHops shorter than the path: not reached, hop_count = maxHops, a clear error', () => {
      const result = first.get('short')!;
      const trace = expectValid(result);
      expect(result).toMatchObject({ success: false, durationMs: null });
      expect(result.error).toBe(
        `destination ${ADDRESSES.dst} not reached within 2 hops (last answer from ${ADDRESSES.r2} at hop 2)`,
      );
      expect(addressesOf(trace)).toEqual([path.slice(0, 2).map(([a]) => [a, a, a])]);
      expect(trace.flows[0]!.reached).toBe(false);
      expect(result.metrics).toMatchObject({ hop_count: 2, reached_flows: 0, probes_answered: 6 });
    });

    it('a destination that drops everything: hops found, not reached; the timeout cuts a long trace short', async () => {
      const restore = dropAllInput(chain.dst);
      let results: Map<string, CheckResult>;
      const started = Date.now();
      try {
        const silent = { type: 'traceroute', target: ADDRESSES.dst, maxHops: 5, probesPerHop: 2, probeTimeout: 1000 };
        results = await runInSrc('silent.yaml', [
          { ...silent, id: 'silent-udp', mode: 'udp' },
          { ...silent, id: 'silent-icmp', mode: 'icmp' },
          // tcp via errqueue sends one probe at a time (see errqueue-socket.ts): 6 silent probes
          // cost 6 probe timeouts, so a shorter one keeps this run as quick as the others.
          { ...silent, id: 'silent-tcp', mode: 'tcp', probeTimeout: 500 },
          { ...silent, id: 'cut', mode: 'udp', maxHops: 30, probeTimeout: 5000, timeout: 1500 },
        ]);
      } finally {
        restore();
      }
      expect(Date.now() - started).toBeLessThan(6000);
      for (const mode of ['udp', 'icmp', 'tcp']) {
        const result = results.get(`silent-${mode}`)!;
        const trace = expectValid(result);
        expect(result).toMatchObject({ success: false, durationMs: null });
        expect(result.error).toBe(
          `destination ${ADDRESSES.dst} not reached within 5 hops (last answer from ${ADDRESSES.r2} at hop 2)`,
        );
        expect(addressesOf(trace)).toEqual([
          [
            [ADDRESSES.r1, ADDRESSES.r1],
            [ADDRESSES.r2, ADDRESSES.r2],
            [null, null],
            [null, null],
            [null, null],
          ],
        ]);
        expect(result.metrics).toMatchObject({ hop_count: 5, probes_sent: 10, probes_answered: 4, loss_ratio: 0.6 });
      }
      const cut = results.get('cut')!;
      expect(cut.success).toBe(false);
      expect(cut.error).toBe(`timeout after 1500 ms: destination ${ADDRESSES.dst} not reached`);
      expect(addressesOf(cut.trace!)[0]!.slice(0, 2)).toEqual([
        [ADDRESSES.r1, ADDRESSES.r1],
        [ADDRESSES.r2, ADDRESSES.r2],
      ]);
    });

    it('a router answering "host unreachable" ends the trace there, with its words as the error', async () => {
      const restore = rejectForwardTo(chain.r2, ADDRESSES.dst);
      let results: Map<string, CheckResult>;
      try {
        const check = { type: 'traceroute', target: ADDRESSES.dst, maxHops: 8, probeTimeout: 2000, timeout: 5000 };
        results = await runInSrc('reject.yaml', [
          { ...check, id: 'reject-udp', mode: 'udp' },
          { ...check, id: 'reject-icmp', mode: 'icmp' },
        ]);
      } finally {
        restore();
      }
      for (const mode of ['udp', 'icmp']) {
        const result = results.get(`reject-${mode}`)!;
        const trace = expectValid(result);
        expect(result).toMatchObject({ success: false, durationMs: null });
        expect(result.error).toBe(
          `host unreachable (ICMP type 3 code 1) from ${ADDRESSES.r2} at hop 3: destination ${ADDRESSES.dst} not reached`,
        );
        const { r1, r2 } = ADDRESSES;
        expect(addressesOf(trace)).toEqual([
          [
            [r1, r1, r1],
            [r2, r2, r2],
            [r2, r2, r2],
          ],
        ]);
        expect(result.metrics).toMatchObject({ hop_count: 8, probes_sent: 9, reached_flows: 0 });
      }
    });
  },
);
