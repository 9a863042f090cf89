import type { ReactNode } from 'react';
import { useId } from 'react';

/** A bordered section with a heading row (title, a short summary, actions on the right), like the agents panel. */
export function Panel({
  title,
  summary,
  actions,
  children,
}: {
  title: string;
  summary?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="overflow-hidden rounded-lg border border-line bg-panel">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-line px-4 py-3">
        <h2 id={headingId} className="text-sm font-semibold">
          {title}
        </h2>
        {summary && <div className="text-xs text-faint">{summary}</div>}
        {actions && <div className="ml-auto flex items-center gap-2">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
