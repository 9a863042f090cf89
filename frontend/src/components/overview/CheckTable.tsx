import type { Virtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, type KeyboardEvent } from 'react';
import { flattenGroups, type ListItem, type RowGroup } from '../../lib/overviewView.ts';
import { CheckTableRow, GRID } from './CheckTableRow.tsx';
import { GroupHeading } from './GroupHeading.tsx';
import { WindowList } from './WindowList.tsx';

/** Fixed line heights (the classes h-11 and h-10 below): exact, so lines need no measuring. */
const ROW_HEIGHT = 44;
const GROUP_HEIGHT = 40;

const TH = 'truncate px-2 py-2 text-[11px] font-medium tracking-wider text-faint uppercase';

/**
 * Hundreds or thousands of checks, one row each (one per check and agent when grouped by agent),
 * only the rows near the viewport rendered. Rows are links in all but name: Tab reaches each,
 * Enter opens the check, and the arrow keys move between rows.
 */
export function CheckTable({ groups, total }: { groups: RowGroup[]; total: number }) {
  const items = useMemo(() => flattenGroups(groups, 1), [groups]);
  const virtualizer = useRef<Virtualizer<Window, Element> | null>(null);
  // aria-rowindex counts the header row as 1
  const rowIndex = useMemo(() => {
    const index = new Map<string, number>();
    let n = 1;
    for (const item of items) if (item.kind === 'line') index.set(item.key, ++n);
    return index;
  }, [items]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const from = (e.target as HTMLElement).closest<HTMLElement>('[data-line]');
    if (!from) return;
    e.preventDefault();
    const step = e.key === 'ArrowDown' ? 1 : -1;
    let i = Number(from.dataset.line) + step;
    while (items[i]?.kind === 'group') i += step;
    if (!items[i]) return;
    virtualizer.current?.scrollToIndex(i, { align: 'auto' });
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-line="${i}"]`)?.focus());
  };

  return (
    <div role="table" aria-label="Checks" aria-rowcount={total + 1} className="rounded-lg border border-line bg-panel">
      <div role="rowgroup" className="sticky top-0 z-10 rounded-t-lg border-b border-line bg-panel-2 md:top-[57px]">
        <div role="row" aria-rowindex={1} className={`${GRID} items-center px-2`}>
          <span role="columnheader" className={TH}>
            Status
          </span>
          <span role="columnheader" className={TH}>
            Check
          </span>
          <span role="columnheader" className={`${TH} hidden md:block`}>
            Type
          </span>
          <span role="columnheader" className={`${TH} hidden lg:block`}>
            Target
          </span>
          <span role="columnheader" className={`${TH} text-right`} title="Agents up of agents running the check">
            <span aria-hidden="true" className="sm:hidden">
              Up
            </span>
            <span className="sr-only sm:not-sr-only">Agents</span>
          </span>
          <span role="columnheader" className={`${TH} text-right`}>
            Latency
          </span>
          <span role="columnheader" className={`${TH} hidden text-right sm:block`}>
            Loss
          </span>
          <span role="columnheader" className={`${TH} hidden md:block`}>
            Last result
          </span>
          <span role="columnheader" className={`${TH} hidden xl:block`}>
            Labels
          </span>
        </div>
      </div>
      <div role="rowgroup" onKeyDown={onKeyDown}>
        <WindowList
          items={items}
          getKey={(item) => item.key}
          estimate={(item) => (item.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT)}
          measure={false}
          overscan={12}
          virtualizerRef={virtualizer}
          render={(item, index) => <TableLine item={item} index={index} rowIndex={rowIndex.get(item.key) ?? 0} />}
        />
      </div>
    </div>
  );
}

function TableLine({ item, index, rowIndex }: { item: ListItem; index: number; rowIndex: number }) {
  if (item.kind === 'group') {
    return (
      <div role="row" className="flex h-10 items-end overflow-hidden border-b border-line bg-panel-2/40 px-4">
        <div role="cell" className="min-w-0">
          <GroupHeading group={item.group} />
        </div>
      </div>
    );
  }
  return <CheckTableRow row={item.rows[0]!} line={index} rowIndex={rowIndex} />;
}
