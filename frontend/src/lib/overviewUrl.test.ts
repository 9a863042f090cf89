import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, groupLabelKey, parseView, viewToSearch } from './overviewUrl.ts';

describe('overview view in the URL', () => {
  it('reads the defaults from an empty query string and writes them as nothing', () => {
    expect(parseView('')).toEqual(DEFAULT_VIEW);
    expect(viewToSearch(DEFAULT_VIEW)).toBe('');
  });

  it('round-trips every setting', () => {
    const view = { mode: 'table', group: 'label:region', status: 'down', sort: 'latency', q: 'edge 443' } as const;
    const search = viewToSearch(view);
    expect(search).toBe('?view=table&group=label:region&status=down&sort=latency&q=edge+443');
    expect(parseView(search)).toEqual(view);
  });

  it('reads unknown or malformed values as their defaults', () => {
    expect(parseView('?view=grid&group=label:Bad Key&status=broken&sort=random')).toEqual(DEFAULT_VIEW);
    expect(parseView('?group=owner').group).toBe('none');
    expect(parseView('?group=agent').group).toBe('agent');
  });

  it('keeps query parameters it does not own', () => {
    expect(viewToSearch({ ...DEFAULT_VIEW, status: 'stale' }, '?debug=1&status=down')).toBe('?debug=1&status=stale');
  });

  it('names the key of a label grouping', () => {
    expect(groupLabelKey('label:region')).toBe('region');
    expect(groupLabelKey('type')).toBeNull();
  });
});
