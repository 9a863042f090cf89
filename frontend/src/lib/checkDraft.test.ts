import { CheckSpec } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { draftToSpec, emptyDraft, uniqueCheckId } from './checkDraft.ts';

describe('uniqueCheckId', () => {
  it('numbers a taken id, staying within 64 chars', () => {
    expect(uniqueCheckId('icmp-1.1.1.1', new Set())).toBe('icmp-1.1.1.1');
    expect(uniqueCheckId('icmp-1.1.1.1', new Set(['icmp-1.1.1.1', 'icmp-1.1.1.1-2']))).toBe('icmp-1.1.1.1-3');
    const long = 'x'.repeat(64);
    const id = uniqueCheckId(long, new Set([long]));
    expect(id).toHaveLength(64);
    expect(id.endsWith('-2')).toBe(true);
  });
});

describe('draftToSpec', () => {
  it('is null for an empty target', () => {
    expect(draftToSpec(emptyDraft('ping'))).toBeNull();
  });

  it('lets a multi agent watch every interface', () => {
    const spec = draftToSpec({ ...emptyDraft('multi'), type: 'interface', target: '*' });
    expect(CheckSpec.parse(spec)).toMatchObject({ type: 'interface', target: '*', id: 'interface' });
  });

  it('gives a traceroute agent a traceroute check', () => {
    const spec = draftToSpec({ ...emptyDraft('traceroute'), target: 'example.com' });
    expect(CheckSpec.parse(spec)).toMatchObject({ type: 'traceroute', target: 'example.com', mode: 'udp' });
  });

  it('builds a spec the protocol accepts, with its defaults filled in', () => {
    const spec = draftToSpec({ type: 'http', target: ' https://example.com/health ', intervalMs: 30_000 });
    const parsed = CheckSpec.parse(spec);
    expect(parsed).toMatchObject({
      id: 'http-example.com-health',
      target: 'https://example.com/health',
      interval: 30_000,
      method: 'GET',
    });
  });

  it('shortens the timeout to fit a short interval', () => {
    const ping = CheckSpec.parse(draftToSpec({ type: 'icmp', target: '127.0.0.1', intervalMs: 5_000 }));
    expect(ping).toMatchObject({ interval: 5_000, timeout: 2_500 });
    const trace = CheckSpec.parse(draftToSpec({ type: 'traceroute', target: 'example.com', intervalMs: 10_000 }));
    expect(trace).toMatchObject({ interval: 10_000, timeout: 5_000 });
    expect(draftToSpec({ type: 'http', target: 'http://127.0.0.1/', intervalMs: 30_000 })).not.toHaveProperty(
      'timeout',
    );
  });

  it('avoids ids already used by the agent', () => {
    const spec = draftToSpec({ type: 'icmp', target: '1.1.1.1', intervalMs: 10_000 }, new Set(['icmp-1.1.1.1']));
    expect(spec?.id).toBe('icmp-1.1.1.1-2');
  });
});
