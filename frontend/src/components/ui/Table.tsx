import {
  useEffect,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
  type TdHTMLAttributes,
  type ThHTMLAttributes,
} from 'react';
import { cn } from '../../lib/cn.ts';
import { Alert } from './Alert.tsx';

/**
 * The dashboard's table look (the agents table's): quiet uppercase headers, divided rows, and a
 * horizontal scroll instead of squashed columns on narrow screens.
 */
export function Table({
  children,
  minWidth = 'min-w-[640px]',
  label,
}: {
  children: ReactNode;
  minWidth?: string;
  label?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const scrolls = useScrollsSideways(scroller);
  return (
    // Wider than the screen (a phone), the table scrolls sideways: then it is a Tab stop, so a
    // keyboard can scroll it with the arrow keys too, named after the table for screen readers.
    // `relative`: screen-reader-only text in a cell is positioned absolutely, and would otherwise
    // widen the whole page instead of this scroller.
    <div
      ref={scroller}
      className="relative overflow-x-auto"
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls && label ? 'region' : undefined}
      aria-label={scrolls ? label : undefined}
    >
      <table aria-label={label} className={cn('w-full border-collapse text-sm', minWidth)}>
        {children}
      </table>
    </div>
  );
}

function useScrollsSideways(ref: RefObject<HTMLElement | null>): boolean {
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth);
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return scrolls;
}

export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-line bg-panel-2/50">
      <tr>{children}</tr>
    </thead>
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-line">{children}</tbody>;
}

export function Th({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      {...rest}
      className={cn(
        'px-3 py-2 text-left text-[11px] font-medium tracking-wider whitespace-nowrap text-faint uppercase',
        className,
      )}
    />
  );
}

/** The last column's header: the row's buttons need no visible title, a screen reader still gets one. */
export function ActionsTh() {
  return (
    <Th className="text-right">
      <span className="sr-only">Actions</span>
    </Th>
  );
}

export function Td({ className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td {...rest} className={cn('px-3 py-2 align-middle', className)} />;
}

export function Tr({ children, className }: { children: ReactNode; className?: string }) {
  return <tr className={cn('transition-colors hover:bg-panel-2/60', className)}>{children}</tr>;
}

/** A message under a row, across the whole table: what became of an action on that row. */
export function RowAlert({
  tone,
  colSpan,
  children,
}: {
  tone?: 'error' | 'info';
  /** the table's number of columns */
  colSpan: number;
  children: ReactNode;
}) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-3 pb-2">
        <Alert tone={tone}>{children}</Alert>
      </td>
    </tr>
  );
}
