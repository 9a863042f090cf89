import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
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
  return (
    <div className="overflow-x-auto">
      <table aria-label={label} className={cn('w-full border-collapse text-sm', minWidth)}>
        {children}
      </table>
    </div>
  );
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
