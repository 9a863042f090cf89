import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalIPv6,
  CheckId,
  CheckSpec,
  CheckType,
  type CheckSpecInput,
  isIPv4,
  isIPv6,
  MIN_CHECK_INTERVAL_MS,
  parseIPv6,
  suggestCheckId,
  uniqueCheckId,
} from './index.ts';

/** The issues of a spec as "path: message" lines (empty when it is valid). */
function problems(input: Record<string, unknown>): string[] {
  const parsed = CheckSpec.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const valid = (input: Record<string, unknown>) => expect(problems(input), JSON.stringify(input)).toEqual([]);
/** exactly one issue, on `path`, whose message contains `words` */
const invalid = (input: Record<string, unknown>, path: string, words: string) => {
  const found = problems(input);
  expect(found, JSON.stringify(input)).toHaveLength(1);
  expect(found[0]).toContain(`${path}: `);
  expect(found[0]).toContain(words);
};

describe('IP literals', () => {
  it('reads IPv4 as four numbers 0-255 without leading zeros', () => {
    for (const ok of ['0.0.0.0', '127.0.0.1', '192.0.2.1', '255.255.255.255']) expect(isIPv4(ok), ok).toBe(true);
    for (const bad of [
      '999.1.1.1',
      '256.0.0.1',
      '1.2.3',
      '1.2.3.4.5',
      '010.0.0.1',
      '1.2.3.',
      '',
      'a.b.c.d',
      '1.2.3.-4',
    ])
      expect(isIPv4(bad), bad).toBe(false);
  });

  it('reads IPv6 in every spelling, an IPv4 tail included', () => {
    for (const ok of [
      '::',
      '::1',
      '2001:db8::1',
      '2001:DB8:0:0:0:0:0:1',
      'fe80::',
      '::ffff:192.0.2.1',
      '1:2:3:4:5:6:7::',
    ])
      expect(isIPv6(ok), ok).toBe(true);
    for (const bad of ['1::2::3', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', '::g', '1.2.3.4::', '[::1]', '1:2'])
      expect(isIPv6(bad), bad).toBe(false);
  });

  it('accepts every IPv4 and IPv6 address, and keeps the address when rewriting one', () => {
    fc.assert(fc.property(fc.ipV4(), (v4) => isIPv4(v4)));
    fc.assert(
      fc.property(fc.ipV6(), (v6) => {
        expect(isIPv6(v6)).toBe(true);
        expect(parseIPv6(canonicalIPv6(v6)!)).toEqual(parseIPv6(v6));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes IPv6 the RFC 5952 way', () => {
    expect(canonicalIPv6('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIPv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIPv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIPv6('0:0:0:0:0:ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
  });
});

describe('host targets (icmp, traceroute)', () => {
  const icmp = (target: string) => ({ id: 'p', type: 'icmp', target });
  const trace = (target: string) => ({ id: 't', type: 'traceroute', target });

  it('takes host names, localhost, IPv4, IPv6 (bare, bracketed, with a zone) and a trailing dot', () => {
    for (const target of [
      'localhost',
      'router',
      'example.com',
      'example.com.',
      'a-b.example-1.com',
      'xn--bcher-kva.example',
      'web_1',
      '127.0.0.1',
      '::1',
      '[::1]',
      '2001:db8::1',
      '[2001:db8::1]',
      'fe80::1%eth0',
      ' example.com ',
    ]) {
      valid(icmp(target));
      valid(trace(target));
    }
    expect(CheckSpec.parse(icmp(' example.com ')).target).toBe('example.com');
  });

  it('refuses URLs, ports, paths and malformed addresses, naming the target', () => {
    invalid(icmp('http://x'), 'target', 'must be a host name or an IP address, not a URL');
    invalid(trace('https://example.com/'), 'target', 'not a URL');
    invalid(icmp('999.1.1.1'), 'target', 'must be an IPv4 address of four numbers 0-255');
    invalid(icmp('1.2.3'), 'target', 'IPv4 address');
    invalid(icmp('example.com:80'), 'target', 'without a port');
    invalid(icmp('[::1]:80'), 'target', 'without a port');
    invalid(icmp('example.com/health'), 'target', 'without a path');
    invalid(icmp('a..b'), 'target', 'empty label');
    invalid(icmp('.example.com'), 'target', 'empty label');
    invalid(icmp('-bad.example'), 'target', 'do not start or end with "-"');
    invalid(icmp('bad host'), 'target', 'spaces');
    invalid(icmp('a*b.example'), 'target', 'letters, digits');
    invalid(icmp(`${'x'.repeat(64)}.example`), 'target', 'at most 63 characters');
    valid(icmp(`${'abcdefghi.'.repeat(25)}com`)); // 253 characters, the most a name may have
    invalid(icmp(`${'abcdefghi.'.repeat(25)}comx`), 'target', 'at most 253 characters');
    invalid(icmp('bücher.example'), 'target', 'punycode');
    invalid(icmp('2001:db8::g'), 'target', 'must be a valid IPv6 address');
    invalid(icmp('[example.com]'), 'target', 'IPv6 address inside [ ]');
    invalid(icmp('example.123'), 'target', 'all-numeric');
    invalid(icmp(''), 'target', 'must not be empty');
  });
});

describe('tcp targets', () => {
  const tcp = (target: string, extra: object = {}) => ({ id: 't', type: 'tcp', target, ...extra });

  it('takes host:port and [v6]:port with ports 1-65535', () => {
    for (const target of ['localhost:5432', '127.0.0.1:1', 'db.internal:65535', '[::1]:443', '[2001:db8::1]:8443'])
      valid(tcp(target));
  });

  it('refuses other shapes, naming the target', () => {
    invalid(tcp('example.com:99999'), 'target', 'port must be 1-65535');
    invalid(tcp('example.com:0'), 'target', 'port must be 1-65535');
    invalid(tcp('example.com:http'), 'target', 'port must be 1-65535');
    invalid(tcp('localhost'), 'target', 'must be host:port (the port is missing)');
    invalid(tcp('::1'), 'target', '[IPv6]:port');
    invalid(tcp('2001:db8::1:443'), 'target', '[IPv6]:port');
    invalid(tcp('[::1]'), 'target', '[IPv6]:port');
    invalid(tcp('[example.com]:80'), 'target', 'IPv6 address inside [ ]');
    invalid(tcp('tcp://example.com:80'), 'target', 'not a URL');
    invalid(tcp('999.1.1.1:80'), 'target', 'host must be an IPv4 address');
    invalid(tcp('a..b:80'), 'target', 'host must not have an empty label');
  });

  it('wants a host name as TLS server name', () => {
    valid(tcp('127.0.0.1:443', { tls: true, serverName: 'example.com' }));
    invalid(tcp('127.0.0.1:443', { tls: true, serverName: '127.0.0.1' }), 'serverName', 'must be a host name');
    invalid(tcp('127.0.0.1:443', { tls: true, serverName: 'a..b' }), 'serverName', 'empty label');
  });
});

describe('http targets', () => {
  const http = (target: string) => ({ id: 'h', type: 'http', target });

  it('takes http and https URLs with any valid host', () => {
    for (const target of [
      'http://localhost/',
      'https://example.com/health?x=1',
      'http://127.0.0.1:8080/healthz',
      'http://[::1]:8080/',
      'https://user:pass@example.com/',
      'https://bücher.example/',
      'HTTPS://EXAMPLE.COM',
    ])
      valid(http(target));
  });

  it('refuses other schemes, bad hosts and ports', () => {
    invalid(http('ftp://example.com/'), 'target', 'must be an http:// or https:// URL, not ftp://');
    invalid(http('example.com'), 'target', 'must be a URL starting with http:// or https://');
    invalid(http('http://999.1.1.1/'), 'target', 'host must be an IPv4 address');
    invalid(http('http://a..b/'), 'target', 'empty label');
    invalid(http('http://example.com:99999/'), 'target', 'port must be 1-65535');
    invalid(http('http://example.com:0/'), 'target', 'port must be 1-65535');
    invalid(http('http:///path'), 'target', 'must name a host');
    invalid(http('http://[::g]/'), 'target', 'IPv6 address inside [ ]');
  });
});

describe('dns checks', () => {
  const dns = (target: string, extra: object = {}) => ({ id: 'd', type: 'dns', target, ...extra });

  it('takes DNS names, underscores and the root included', () => {
    for (const target of ['example.com', 'example.com.', '_sip._tcp.example.com', '_dmarc.example.com', 'localhost'])
      valid(dns(target));
    valid(dns('.', { recordType: 'NS' }));
    valid(dns('_sip._tcp.example.com', { recordType: 'SRV' }));
  });

  it('takes an IP address only for PTR (the agent asks for its reverse name)', () => {
    valid(dns('192.0.2.1', { recordType: 'PTR' }));
    valid(dns('2001:db8::1', { recordType: 'PTR' }));
    valid(dns('1.2.0.192.in-addr.arpa', { recordType: 'PTR' }));
    invalid(dns('192.0.2.1'), 'target', 'only with recordType PTR');
  });

  it('refuses malformed names and record types', () => {
    invalid(dns('a..b'), 'target', 'must not have an empty label');
    invalid(dns(`${'x'.repeat(64)}.com`), 'target', 'at most 63 characters');
    invalid(dns('https://example.com'), 'target', 'letters, digits');
    invalid(dns('999.1.1.1'), 'target', 'all-numeric');
    invalid(dns('example.com', { recordType: 'AXFR' }), 'recordType', 'must be one of A, AAAA');
  });

  it('takes a server as host, host:port, [v6] or [v6]:port', () => {
    for (const server of [
      '1.1.1.1',
      '1.1.1.1:5353',
      'ns1.example.net',
      'ns1.example.net:53',
      '::1',
      '[::1]',
      '[::1]:53',
    ])
      valid(dns('example.com', { server }));
    invalid(dns('example.com', { server: '1.1.1.1:0' }), 'server', 'port must be 1-65535');
    invalid(dns('example.com', { server: '1.1.1.1:99999' }), 'server', 'port must be 1-65535');
    invalid(dns('example.com', { server: 'udp://1.1.1.1' }), 'server', 'not a URL');
    invalid(dns('example.com', { server: '999.1.1.1' }), 'server', 'IPv4 address');
    invalid(dns('example.com', { server: '[ns1.example.net]:53' }), 'server', 'IPv6 address inside [ ]');
  });
});

describe('timing', () => {
  const icmp = (extra: object) => ({ id: 'p', type: 'icmp', target: '127.0.0.1', ...extra });

  it(`wants an interval of at least ${MIN_CHECK_INTERVAL_MS} ms`, () => {
    invalid(icmp({ interval: 1 }), 'interval', 'must be at least 1000 ms');
    invalid(icmp({ interval: '500ms', timeout: '200ms' }), 'interval', 'must be at least 1000 ms');
    valid(icmp({ interval: '1s', timeout: '500ms' }));
  });

  it('wants the timeout shorter than the interval; a timeout left out fits the interval given', () => {
    invalid(icmp({ interval: '5s', timeout: '5s' }), 'timeout', 'must be shorter than interval');
    expect(CheckSpec.parse(icmp({ interval: '2s' })).timeout).toBe(1000);
    expect(CheckSpec.parse(icmp({ interval: '1m' })).timeout).toBe(5000);
    expect(CheckSpec.parse({ id: 't', type: 'traceroute', target: 'example.com', interval: '10s' }).timeout).toBe(5000);
    invalid({ id: 'h', type: 'http', target: 'http://x/', interval: '3s', timeout: '4s' }, 'timeout', 'interval');
    valid(icmp({ interval: '5s', timeout: '2s' }));
  });

  it('fits a whole ping run (all echoes, then the timeout) into the interval', () => {
    // 99 gaps of 100 ms, then up to 5 s for the last reply: 14.9 s
    invalid(icmp({ count: 100 }), 'count', 'take up to 14900 ms');
    valid(icmp({ count: 100, timeout: '1s', echoInterval: '50ms' }));
    valid(icmp({ count: 100, interval: '15s' }));
  });

  it('keeps the interface sample window within the timeout', () => {
    invalid({ id: 'i', type: 'interface', target: 'eth0', sampleWindow: '5s' }, 'sampleWindow', 'shorter than timeout');
    // a probe timeout past the run's timeout is odd but harmless: the run's timeout cuts the trace
    valid({ id: 't', type: 'traceroute', target: 'x', probeTimeout: '5s', timeout: '1500ms' });
  });

  it('names each field when several are wrong', () => {
    const found = problems({ id: 'p', type: 'icmp', target: 'http://x', interval: '2s', timeout: '3s' });
    expect(found.map((line) => line.split(':')[0])).toEqual(['target', 'timeout']);
  });

  it('keeps the existing bounds', () => {
    invalid(icmp({ count: 0 }), 'count', '');
    invalid(icmp({ count: 101 }), 'count', '');
    invalid(icmp({ size: 65_001 }), 'size', '');
    invalid({ id: 't', type: 'traceroute', target: 'x', port: 65_536 }, 'port', '');
    invalid({ id: 't', type: 'traceroute', target: 'x', maxHops: 65 }, 'maxHops', '');
  });
});

describe('check ids', () => {
  const looksValid = (id: string) => {
    expect(CheckId.safeParse(id).success, id).toBe(true);
    expect(id.length).toBeLessThanOrEqual(64);
  };

  it('are readable for names, URLs and IPv4', () => {
    expect(suggestCheckId('icmp', '1.1.1.1')).toBe('icmp-1.1.1.1');
    expect(suggestCheckId('http', 'https://API.example.com/health?x=1')).toBe('http-api.example.com-health-x-1');
    expect(suggestCheckId('tcp', 'db.internal:5432')).toBe('tcp-db.internal-5432');
    expect(suggestCheckId('dns', '_sip._tcp.example.com.')).toBe('dns-_sip._tcp.example.com');
    expect(suggestCheckId('interface', '*')).toBe('interface');
  });

  it('keep every colon of an IPv6 address, so distinct addresses get distinct ids', () => {
    expect(suggestCheckId('icmp', '2001:db8::1')).toBe('icmp-2001-db8--1');
    expect(suggestCheckId('icmp', '2001:db8:1::')).toBe('icmp-2001-db8-1--0');
    expect(suggestCheckId('icmp', '::1')).toBe('icmp-0--1');
    expect(suggestCheckId('icmp', '[::1]')).toBe('icmp-0--1');
    expect(suggestCheckId('tcp', '[::1]:443')).toBe('tcp-0--1-443');
    expect(suggestCheckId('tcp', '[2001:db8::1]:443')).toBe('tcp-2001-db8--1-443');
    expect(suggestCheckId('http', 'http://[2001:db8::1]:8080/health')).toBe('http-2001-db8--1-8080-health');
    expect(suggestCheckId('icmp', 'fe80::1%eth0')).toBe('icmp-fe80--1-eth0');
    expect(suggestCheckId('icmp', '::ffff:192.0.2.1')).toBe('icmp-0--ffff-192.0.2.1');
  });

  it('are stable: one target (or one address however written) gives one id', () => {
    expect(suggestCheckId('icmp', '2001:DB8:0:0:0:0:0:1')).toBe(suggestCheckId('icmp', '2001:db8::1'));
    expect(suggestCheckId('tcp', ' [2001:db8::1]:443 ')).toBe(suggestCheckId('tcp', '[2001:db8::1]:443'));
    const long = `https://example.com/${'segment/'.repeat(20)}`;
    expect(suggestCheckId('http', long)).toBe(suggestCheckId('http', long));
  });

  it('leave credentials out', () => {
    expect(suggestCheckId('http', 'https://admin:s3cret@example.com/')).toBe('http-example.com');
  });

  it('shorten long targets to 64 characters, keeping them apart by a hash', () => {
    const a = suggestCheckId('http', `https://example.com/${'x'.repeat(100)}/a`);
    const b = suggestCheckId('http', `https://example.com/${'x'.repeat(100)}/b`);
    expect(a).toHaveLength(64);
    expect(a.startsWith('http-example.com-xxx')).toBe(true);
    expect(a).not.toBe(b);
    looksValid(a);
    looksValid(b);
  });

  it('are always valid CheckIds, even for odd targets', () => {
    const odd = [
      'https://' + 'a'.repeat(200) + '.com',
      '---',
      '   ',
      'ÄÖÜ.example',
      'x_',
      '::',
      '[',
      '[::1',
      `${'-.'.repeat(40)}a`,
    ];
    for (const target of odd) looksValid(suggestCheckId('dns', target));
    expect(suggestCheckId('icmp', '::')).toBe('icmp-0--0');
  });

  it('never throw and are always valid, whatever the target (and the schema never throws either)', () => {
    const target = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.ipV4(),
      fc.ipV6(),
      fc.ipV6().map((v6) => `[${v6}]:443`),
      fc.domain(),
      fc.webUrl(),
    );
    fc.assert(
      fc.property(fc.constantFrom(...CheckType.options), target, (type, text) => {
        looksValid(suggestCheckId(type, text));
        expect(() => CheckSpec.safeParse({ id: 'x', type, target: text })).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('are made unique by a numbered suffix within 64 characters', () => {
    expect(uniqueCheckId('icmp-1.1.1.1', new Set())).toBe('icmp-1.1.1.1');
    expect(uniqueCheckId('icmp-1.1.1.1', new Set(['icmp-1.1.1.1', 'icmp-1.1.1.1-2']))).toBe('icmp-1.1.1.1-3');
    const long = 'x'.repeat(64);
    expect(uniqueCheckId(long, new Set([long]))).toBe(`${'x'.repeat(62)}-2`);
  });

  it('of valid specs parse as specs', () => {
    const inputs: CheckSpecInput[] = [
      { id: suggestCheckId('icmp', '::1'), type: 'icmp', target: '::1' },
      { id: suggestCheckId('tcp', '[::1]:443'), type: 'tcp', target: '[::1]:443' },
    ];
    for (const input of inputs) expect(CheckSpec.safeParse(input).success).toBe(true);
  });
});
