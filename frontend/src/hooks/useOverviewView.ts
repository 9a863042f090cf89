import { useCallback, useMemo } from 'react';
import { parseView, viewToSearch, type OverviewView } from '../lib/overviewUrl.ts';
import { replaceSearch, useSearch } from '../lib/router.ts';

/**
 * The overview's view settings, living in the URL's query string (lib/overviewUrl.ts): a copied
 * link shows the same view. Changes replace the history entry instead of adding one per keystroke.
 */
export function useOverviewView(): [OverviewView, (change: Partial<OverviewView>) => void] {
  const search = useSearch();
  const view = useMemo(() => parseView(search), [search]);
  const update = useCallback((change: Partial<OverviewView>) => {
    const current = parseView(window.location.search);
    replaceSearch(viewToSearch({ ...current, ...change }, window.location.search));
  }, []);
  return [view, update];
}
