import { useMemo } from 'react';
import { navigate, usePathname, useSearch } from '../lib/router.ts';
import { parseRange, withRange, type RangeSpec } from '../lib/checkRange.ts';

/**
 * The check page's range, read from and written to the query string: a new range is a history
 * entry, so Back undoes a zoom.
 */
export function useCheckRange(): [RangeSpec, (range: RangeSpec) => void] {
  const search = useSearch();
  const pathname = usePathname();
  const range = useMemo(() => parseRange(search), [search]);
  const setRange = (next: RangeSpec) => navigate(`${pathname}${withRange(search, next)}`);
  return [range, setRange];
}
