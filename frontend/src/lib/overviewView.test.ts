import { describe, expect, it } from 'vitest';
import type { PairState } from './checkState.ts';
import { rowOf, type CheckRow, type OverviewCheck, type PairRow } from './overviewModel.ts';
import { DEFAULT_VIEW } from './overviewUrl.ts';
import {
  applyView,
  byCheckName,
  filterRows,
  flattenGroups,
  groupRows,
  labelKeys,
  sortRows,
  splitByAgent,
} from './overviewView.ts';
import { naturalCompare } from './natural.ts';

const pair = (agent: string, checkId: string, state: PairState, durationMs: number | null = 1): PairRow => ({
  key: `${agent}/${checkId}`,
  agentId: agent,
  agentName: agent,
  agentStatus: 'online',
  state,
  result: {
    id: `${agent}-${checkId}`,
    checkId,
    type: 'icmp',
    target: 't',
    time: '2026-03-01T12:00:00Z',
    success: state.status !== 'down',
    durationMs,
    metrics: {},
    agentId: agent,
    agentName: agent,
  },
});

const row = (
  id: string,
  states: Record<string, PairState['status']>,
  over: Partial<OverviewCheck> = {},
  latency: number | null = 1,
): CheckRow => {
  const check: OverviewCheck = {
    id,
    type: 'icmp',
    target: `${id}.example`,
    interval: 10_000,
    enabled: true,
    labels: {},
    agents: Object.keys(states).map((name) => ({ id: name, name })),
    ...over,
  };
  return rowOf(
    id,
    check,
    Object.entries(states).map(([agent, status]) => pair(agent, id, { status }, latency)),
  );
};

const ids = (rows: readonly CheckRow[]) => rows.map((r) => r.key);

describe('filterRows', () => {
  const rows = [
    row('web', { eu: 'up' }, { labels: { role: 'edge' } }),
    row('db', { eu: 'down' }),
    row('dns', { us: 'stale' }),
  ];

  it('keeps the status asked for', () => {
    expect(ids(filterRows(rows, 'down', ''))).toEqual(['db']);
    expect(ids(filterRows(rows, 'stale', ''))).toEqual(['dns']);
    expect(ids(filterRows(rows, 'all', ''))).toEqual(['web', 'db', 'dns']);
  });

  it('searches ids, targets, labels and agent names', () => {
    expect(ids(filterRows(rows, 'all', 'role=edge'))).toEqual(['web']);
    expect(ids(filterRows(rows, 'all', 'us'))).toEqual(['dns']);
    expect(ids(filterRows(rows, 'all', 'db.example'))).toEqual(['db']);
    expect(ids(filterRows(rows, 'down', 'web'))).toEqual([]);
  });
});

describe('sortRows', () => {
  // as the overview hands them over: in name order
  const byName = (rows: CheckRow[]) => [...rows].sort((a, b) => naturalCompare(a.check.id, b.check.id));
  const rows = byName([
    row('b-up', { eu: 'up' }, {}, 5),
    row('a-up', { eu: 'up' }, {}, 50),
    row('c-down', { eu: 'down' }, {}, null),
    row('d-degraded', { eu: 'degraded' }, {}, 7),
    row('e-stale', { eu: 'stale' }),
    row('check10', { eu: 'up' }, {}, null),
    row('check9', { eu: 'up' }, {}, null),
  ]);

  it('puts failing first by default, then by name', () => {
    expect(ids(sortRows(rows, 'status'))).toEqual([
      'c-down',
      'd-degraded',
      'e-stale',
      'a-up',
      'b-up',
      'check9',
      'check10',
    ]);
  });

  it('sorts names naturally', () => {
    const sorted = ids(sortRows(rows, 'name'));
    expect(sorted.indexOf('check9')).toBeLessThan(sorted.indexOf('check10'));
    expect(sorted[0]).toBe('a-up');
  });

  it('puts the highest latency first and rows without one last', () => {
    expect(ids(sortRows(rows, 'latency'))).toEqual([
      'a-up',
      'd-degraded',
      'b-up',
      'c-down',
      'e-stale',
      'check9',
      'check10',
    ]);
  });

  it('sorts by loss with the same rules', () => {
    const lossy = { ...row('x', { eu: 'up' }), loss: 0.5 };
    expect(ids(sortRows([row('y', { eu: 'down' }), lossy], 'loss'))).toEqual(['x', 'y']);
  });
});

describe('groupRows', () => {
  const rows = [
    row('a', { eu: 'up' }, { labels: { region: 'eu' } }),
    row('b', { us: 'down' }, { labels: { region: 'us' }, type: 'http' }),
    row('c', { eu: 'up' }),
  ];

  it('groups by label value, worst group first, rows without the label last', () => {
    const groups = groupRows(rows, 'label:region');
    expect(groups.map((g) => [g.title, ids(g.rows)])).toEqual([
      ['region=us', ['b']],
      ['region=eu', ['a']],
      ['No region label', ['c']],
    ]);
    expect(groups[0]!.worst).toBe('down');
    expect(groups[1]!.counts.up).toBe(1);
  });

  it('groups by type', () => {
    expect(groupRows(rows, 'type').map((g) => g.title)).toEqual(['http', 'icmp']);
  });

  it('keeps one untitled group when not grouping', () => {
    const groups = groupRows(rows, 'none');
    expect(groups).toHaveLength(1);
    expect(groups[0]!.title).toBe('');
  });
});

describe('splitByAgent', () => {
  it('gives one row per agent, each judged on its own, and the same objects for unchanged agents', () => {
    const rows = [row('ping', { eu: 'up', us: 'down' }), row('lonely', {})];
    const split = splitByAgent(rows);
    expect(split.map((r) => [r.key, r.state.status])).toEqual([
      ['eu/ping', 'up'],
      ['us/ping', 'down'],
      ['lonely', 'waiting'],
    ]);
    expect(splitByAgent(rows)[0]).toBe(split[0]);
  });
});

describe('applyView', () => {
  it('groups by agent with each agent’s own state, filtered and sorted', () => {
    const rows = [row('ping', { eu: 'up', us: 'down' }), row('http', { eu: 'down' })];
    const groups = applyView(rows, { ...DEFAULT_VIEW, group: 'agent', status: 'down' });
    expect(groups.map((g) => [g.title, ids(g.rows)])).toEqual([
      ['eu', ['eu/http']],
      ['us', ['us/ping']],
    ]);
  });
});

describe('flattenGroups', () => {
  it('gives a heading per titled group and lines of at most perLine rows', () => {
    const rows = [row('a', { eu: 'up' }), row('b', { eu: 'up' }), row('c', { eu: 'up' })];
    const titled = flattenGroups(groupRows(rows, 'type'), 2);
    expect(titled.map((i) => (i.kind === 'group' ? `# ${i.group.title}` : ids(i.rows).join(',')))).toEqual([
      '# icmp',
      'a,b',
      'c',
    ]);
    expect(flattenGroups(groupRows(rows, 'none'), 1).every((i) => i.kind === 'line')).toBe(true);
  });
});

describe('labelKeys', () => {
  it('lists every label key in use, sorted', () => {
    expect(labelKeys([{ labels: { role: 'x', region: 'eu' } }, { labels: { env: 'p' } }])).toEqual([
      'env',
      'region',
      'role',
    ]);
  });
});

describe('byCheckName', () => {
  it('orders checks by id, numbers by value', () => {
    expect(byCheckName([{ id: 'c10' }, { id: 'c9' }, { id: 'a' }]).map((c) => c.id)).toEqual(['a', 'c9', 'c10']);
  });
});
