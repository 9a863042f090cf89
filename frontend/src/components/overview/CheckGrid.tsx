import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RowGroup } from '../../lib/overviewView.ts';
import { flattenGroups, type ListItem } from '../../lib/overviewView.ts';
import { CheckCard } from '../CheckCard.tsx';
import { GroupHeading } from './GroupHeading.tsx';
import { WindowList } from './WindowList.tsx';

/** Cards per line for the list's width: a card needs about 340 px to show an agent's figures. */
const perLineFor = (width: number) => (width >= 1400 ? 4 : width >= 1000 ? 3 : width >= 640 ? 2 : 1);

/** The check cards, a line of them at a time, only the lines near the viewport rendered. */
export function CheckGrid({ groups }: { groups: RowGroup[] }) {
  const host = useRef<HTMLDivElement>(null);
  const perLine = usePerLine(host);
  const items = useMemo(() => flattenGroups(groups, perLine), [groups, perLine]);

  return (
    <div ref={host}>
      <WindowList
        items={items}
        getKey={(item) => item.key}
        estimate={(item) => (item.kind === 'group' ? 40 : 250)}
        overscan={2}
        render={(item) => <Line item={item} perLine={perLine} />}
      />
    </div>
  );
}

function Line({ item, perLine }: { item: ListItem; perLine: number }) {
  if (item.kind === 'group') return <GroupHeading group={item.group} />;
  return (
    <div className="grid gap-3 pb-3" style={{ gridTemplateColumns: `repeat(${perLine}, minmax(0, 1fr))` }}>
      {item.rows.map((row) => (
        <CheckCard key={row.key} row={row} />
      ))}
    </div>
  );
}

function usePerLine(ref: React.RefObject<HTMLElement | null>): number {
  const [perLine, setPerLine] = useState(1);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setPerLine(perLineFor(el.clientWidth)));
    setPerLine(perLineFor(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return perLine;
}
