import { describe, expect, it } from 'vitest';
import { answerSummary, groupDnsAnswers } from './dnsAnswers.ts';

const a = (data: string, ttl = 300, type = 'A') => ({ name: 'example.test.', ttl, type, data });

describe('groupDnsAnswers', () => {
  it('puts agents given the same records together whatever the TTLs and order, and keeps a differing answer apart', () => {
    const groups = groupDnsAnswers([
      {
        agentName: 'fra',
        dns: { server: '10.0.0.53:53', rcode: 'NOERROR', answers: [a('192.0.2.1', 300), a('192.0.2.2')] },
      },
      {
        agentName: 'nyc',
        dns: { server: '10.0.0.53:53', rcode: 'NOERROR', answers: [a('192.0.2.2', 12), a('192.0.2.1', 12)] },
      },
      { agentName: 'sin', dns: { server: '10.9.0.53:53', rcode: 'NOERROR', answers: [a('198.51.100.7')] } },
      { agentName: 'old', dns: undefined },
      { agentName: 'down', dns: { server: '10.0.0.53:53', answers: [] } },
    ]);
    expect(groups.map((g) => g.agents)).toEqual([['fra', 'nyc'], ['sin']]);
    expect(groups[1]).toMatchObject({ server: '10.9.0.53:53', rcode: 'NOERROR', omitted: 0 });
  });

  it('tells an NXDOMAIN apart from an empty NOERROR', () => {
    const groups = groupDnsAnswers([
      { agentName: 'a', dns: { server: 's:53', rcode: 'NXDOMAIN', answers: [] } },
      { agentName: 'b', dns: { server: 's:53', rcode: 'NOERROR', answers: [] } },
    ]);
    expect(groups).toHaveLength(2);
  });
});

describe('answerSummary', () => {
  it('shows the first records and counts the rest, the ones left out by the agent included', () => {
    expect(answerSummary(undefined)).toBe('—');
    expect(answerSummary({ server: 's:53', answers: [] })).toBe('—');
    expect(answerSummary({ server: 's:53', rcode: 'NOERROR', answers: [] })).toBe('no records');
    expect(answerSummary({ server: 's:53', rcode: 'NXDOMAIN', answers: [] })).toBe('NXDOMAIN');
    expect(answerSummary({ server: 's:53', rcode: 'NOERROR', answers: [a('192.0.2.1')] })).toBe('192.0.2.1');
    expect(
      answerSummary({
        server: 's:53',
        rcode: 'NOERROR',
        answers: [a('192.0.2.1'), a('192.0.2.2'), a('192.0.2.3')],
        omitted: 5,
      }),
    ).toBe('192.0.2.1, 192.0.2.2 +6 more');
  });
});
