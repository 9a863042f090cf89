import { SEVERITY, type OverviewStatus } from './checkState.ts';
import { matchesQuery } from './filter.ts';
import { naturalCompare } from './natural.ts';
import { rowOf, type CheckRow } from './overviewModel.ts';
import { groupLabelKey, type GroupBy, type OverviewView, type SortKey, type StatusFilter } from './overviewUrl.ts';

/** The overview's rows as the view asks: split per agent, filtered, sorted, grouped; failing first. */

export interface RowGroup {
  /** '' for the one group of an ungrouped view (shown without a heading) */
  key: string;
  title: string;
  rows: CheckRow[];
  counts: Record<OverviewStatus, number>;
  /** the most severe status in the group: groups in trouble come first */
  worst: OverviewStatus;
}

/** What the virtual list draws, one entry per line: a group heading, or up to `perLine` rows. */
export type ListItem =
  { kind: 'group'; key: string; group: RowGroup } | { kind: 'line'; key: string; rows: CheckRow[] };

// One row per (check, agent), cached per agent row: unchanged agent rows give the same object, so
// memoised rows stay memoised in the per-agent view too.
const splitCache = new WeakMap<object, CheckRow>();

/** Each check's row split into one row per agent running it (the per-agent view). */
export function splitByAgent(rows: readonly CheckRow[]): CheckRow[] {
  const out: CheckRow[] = [];
  for (const row of rows) {
    // a check no agent runs still shows, under "No agent"
    if (row.pairs.length === 0) out.push(row);
    for (const pair of row.pairs) {
      let single = splitCache.get(pair);
      if (!single || single.check !== row.check) {
        single = rowOf(pair.key, row.check, [pair]);
        splitCache.set(pair, single);
      }
      out.push(single);
    }
  }
  return out;
}

const searchFields = (row: CheckRow): string[] => [
  row.check.id,
  row.check.target,
  row.check.type,
  ...Object.entries(row.check.labels).map(([k, v]) => `${k}=${v}`),
  ...row.pairs.map((p) => p.agentName),
];

/** The status filter and the search box (every word must appear in the id, target, type, a label or an agent). */
export function filterRows(rows: readonly CheckRow[], status: StatusFilter, query: string): CheckRow[] {
  // runs on every batch of streamed results: no per-row work for an empty search box
  const searching = query.trim() !== '';
  return rows.filter(
    (row) =>
      (status === 'all' || row.state.status === status) && (!searching || matchesQuery(query, searchFields(row))),
  );
}

const bySeverity = (a: CheckRow, b: CheckRow) => SEVERITY[a.state.status] - SEVERITY[b.state.status];
/** Highest first; rows without a figure last. */
const byFigure = (pick: (row: CheckRow) => number | null) => (a: CheckRow, b: CheckRow) => {
  const x = pick(a);
  const y = pick(b);
  if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
  return y - x;
};

const ORDER: Record<SortKey, Array<(a: CheckRow, b: CheckRow) => number>> = {
  status: [bySeverity],
  name: [],
  latency: [byFigure((r) => r.latency), bySeverity],
  loss: [byFigure((r) => r.loss), bySeverity],
};

/**
 * Rows in the order asked for. They must come in name order (the overview sorts its checks by name
 * once, when they load): the sort is stable, so rows equal on the key stay in name order without
 * comparing names on every batch of results — a text comparison is the costly part of a sort.
 */
export function sortRows(rows: readonly CheckRow[], sort: SortKey): CheckRow[] {
  const compare = ORDER[sort];
  if (compare.length === 0) return [...rows];
  return [...rows].sort((a, b) => {
    for (const c of compare) {
      const d = c(a, b);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/** Checks in name order ("check9" before "check10"), as sortRows expects its rows. */
export const byCheckName = <T extends { id: string }>(checks: readonly T[]): T[] =>
  [...checks].sort((a, b) => naturalCompare(a.id, b.id));

const emptyCounts = (): Record<OverviewStatus, number> => ({
  down: 0,
  degraded: 0,
  stale: 0,
  waiting: 0,
  up: 0,
  disabled: 0,
});

/** Where a row goes under a grouping: [key, title]; rows without the label go to a group sorted last. */
function groupOf(row: CheckRow, group: GroupBy): [string, string] {
  if (group === 'agent') {
    const pair = row.pairs[0];
    return pair ? [pair.agentId, pair.agentName] : ['', 'No agent'];
  }
  if (group === 'type') return [row.check.type, row.check.type];
  const key = groupLabelKey(group);
  if (key !== null) {
    const value = row.check.labels[key];
    return value === undefined ? ['', `No ${key} label`] : [value, `${key}=${value}`];
  }
  return ['', ''];
}

/** Sorted rows into groups; groups with the worst status first, then by name, the "none" group last. */
export function groupRows(rows: readonly CheckRow[], group: GroupBy): RowGroup[] {
  if (group === 'none') {
    // every batch of results passes here: one group, no per-row bookkeeping beyond the counts
    const one: RowGroup = { key: '', title: '', rows: [...rows], counts: emptyCounts(), worst: 'disabled' };
    for (const row of rows) {
      one.counts[row.state.status]++;
      if (SEVERITY[row.state.status] < SEVERITY[one.worst]) one.worst = row.state.status;
    }
    return rows.length ? [one] : [];
  }
  const groups = new Map<string, RowGroup>();
  for (const row of rows) {
    const [key, title] = groupOf(row, group);
    let g = groups.get(key);
    if (!g) {
      g = { key, title, rows: [], counts: emptyCounts(), worst: 'disabled' };
      groups.set(key, g);
    }
    g.rows.push(row);
    g.counts[row.state.status]++;
    if (SEVERITY[row.state.status] < SEVERITY[g.worst]) g.worst = row.state.status;
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(a.key === '') - Number(b.key === '') ||
      SEVERITY[a.worst] - SEVERITY[b.worst] ||
      naturalCompare(a.title, b.title),
  );
}

/** The whole pipeline: the view's rows in groups. */
export function applyView(rows: readonly CheckRow[], view: OverviewView): RowGroup[] {
  const base = view.group === 'agent' ? splitByAgent(rows) : rows;
  return groupRows(sortRows(filterRows(base, view.status, view.q), view.sort), view.group);
}

/** Groups as lines for the virtual list; an ungrouped view has no heading line. */
// A table line per row object: unchanged rows give the same line on every batch of results.
const singleLines = new WeakMap<CheckRow, ListItem>();

export function flattenGroups(groups: readonly RowGroup[], perLine: number): ListItem[] {
  const items: ListItem[] = [];
  const n = Math.max(1, Math.floor(perLine));
  for (const group of groups) {
    if (group.key !== '' || group.title !== '') items.push({ kind: 'group', key: `g:${group.key}`, group });
    if (n === 1 && group.key === '') {
      for (const row of group.rows) {
        let line = singleLines.get(row);
        if (!line) singleLines.set(row, (line = { kind: 'line', key: `l::${row.key}`, rows: [row] }));
        items.push(line);
      }
      continue;
    }
    for (let i = 0; i < group.rows.length; i += n) {
      const rows = group.rows.slice(i, i + n);
      items.push({ kind: 'line', key: `l:${group.key}:${rows[0]!.key}`, rows });
    }
  }
  return items;
}

/** The label keys in use, for the "group by label" picker. */
export function labelKeys(checks: ReadonlyArray<{ labels: Readonly<Record<string, string>> }>): string[] {
  const keys = new Set<string>();
  for (const check of checks) for (const key in check.labels) keys.add(key);
  return [...keys].sort(naturalCompare);
}
