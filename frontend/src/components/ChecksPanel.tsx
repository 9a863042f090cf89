import type { Agent } from '@nop/protocol';
import type { CheckEntry } from '../lib/dashboardFilter.ts';
import { CheckCard } from './CheckCard.tsx';
import { EmptyState } from './EmptyState.tsx';

/** The grid of check cards, or a sentence saying why there are none. */
export function ChecksPanel({ agents, entries, query }: { agents: Agent[]; entries: CheckEntry[]; query: string }) {
  const total = agents.reduce((n, a) => n + a.config.checks.length, 0);

  let body;
  if (total === 0) {
    body = (
      <EmptyState title="No checks yet.">
        Add checks to an agent from the Checks column of the table above (or give a new agent its first check), and
        their results will chart here as they arrive.
      </EmptyState>
    );
  } else if (entries.length === 0) {
    body = <p className="py-8 text-center text-sm text-muted">No checks match “{query}”.</p>;
  } else {
    body = (
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3 2xl:grid-cols-4">
        {entries.map(({ agent, check }) => (
          <CheckCard key={`${agent.id}/${check.id}`} agent={agent} check={check} />
        ))}
      </div>
    );
  }

  return (
    <section aria-labelledby="checks-heading" className="space-y-3">
      <div className="flex items-baseline gap-3">
        <h2 id="checks-heading" className="text-sm font-semibold">
          Checks
        </h2>
        {total > 0 && (
          <span className="text-xs text-faint tabular-nums">
            {entries.length === total ? `${total}` : `${entries.length} of ${total}`} · last 15 minutes
          </span>
        )}
      </div>
      {body}
    </section>
  );
}
