/**
 * The overview's view (cards or table, grouping, status filter, sort, search) as the URL's query
 * string, so a link reproduces what the sender saw. Defaults are left out to keep links short, and
 * anything unknown reads as its default rather than failing.
 */

export type ViewMode = 'cards' | 'table';
export type GroupBy = 'none' | 'agent' | 'type' | `label:${string}`;
export type StatusFilter = 'all' | 'down' | 'degraded' | 'stale' | 'up';
export type SortKey = 'status' | 'name' | 'latency' | 'loss';

export interface OverviewView {
  mode: ViewMode;
  group: GroupBy;
  status: StatusFilter;
  sort: SortKey;
  /** the search box */
  q: string;
}

export const DEFAULT_VIEW: Readonly<OverviewView> = {
  mode: 'cards',
  group: 'none',
  status: 'all',
  sort: 'status',
  q: '',
};

export const VIEW_MODES: readonly ViewMode[] = ['cards', 'table'];
export const STATUS_FILTERS: readonly StatusFilter[] = ['all', 'down', 'degraded', 'stale', 'up'];
export const SORT_KEYS: readonly SortKey[] = ['status', 'name', 'latency', 'loss'];

/** A label key as protocol's LabelKey allows it. */
const LABEL_KEY = /^[a-z0-9]([a-z0-9_./-]{0,61}[a-z0-9])?$/;

const oneOf = <T extends string>(allowed: readonly T[], value: string | null, fallback: T): T =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

function parseGroup(value: string | null): GroupBy {
  if (value === 'agent' || value === 'type') return value;
  if (value?.startsWith('label:')) {
    const key = value.slice('label:'.length);
    if (LABEL_KEY.test(key)) return `label:${key}`;
  }
  return 'none';
}

/** The label key of a label grouping, else null. */
export const groupLabelKey = (group: GroupBy): string | null =>
  group.startsWith('label:') ? group.slice('label:'.length) : null;

/** Reads a view from `location.search` ("?view=table&group=label:region&status=down&sort=latency&q=edge"). */
export function parseView(search: string): OverviewView {
  const params = new URLSearchParams(search);
  return {
    mode: oneOf(VIEW_MODES, params.get('view'), DEFAULT_VIEW.mode),
    group: parseGroup(params.get('group')),
    status: oneOf(STATUS_FILTERS, params.get('status'), DEFAULT_VIEW.status),
    sort: oneOf(SORT_KEYS, params.get('sort'), DEFAULT_VIEW.sort),
    q: params.get('q') ?? '',
  };
}

/**
 * The view as a query string ("" for the default view, else "?…"). Parameters it does not own
 * are kept, so other features can put their own in the same URL.
 */
export function viewToSearch(view: OverviewView, current = ''): string {
  const params = new URLSearchParams(current);
  const put = (name: string, value: string, fallback: string) => {
    if (value === fallback) params.delete(name);
    else params.set(name, value);
  };
  put('view', view.mode, DEFAULT_VIEW.mode);
  put('group', view.group, DEFAULT_VIEW.group);
  put('status', view.status, DEFAULT_VIEW.status);
  put('sort', view.sort, DEFAULT_VIEW.sort);
  put('q', view.q, DEFAULT_VIEW.q);
  // ":" needs no escaping in a query string, and "group=label:region" reads better in a link.
  const text = params.toString().replace(/%3A/gi, ':');
  return text ? `?${text}` : '';
}
