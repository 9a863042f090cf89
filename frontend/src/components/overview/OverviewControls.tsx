import { memo } from 'react';
import { statusLabel } from '../../lib/checkState.ts';
import { cn } from '../../lib/cn.ts';
import {
  groupLabelKey,
  SORT_KEYS,
  STATUS_FILTERS,
  VIEW_MODES,
  type GroupBy,
  type OverviewView,
  type SortKey,
} from '../../lib/overviewUrl.ts';
import { Select } from '../ui/Input.tsx';

const SORT_LABELS: Record<SortKey, string> = {
  status: 'Status (failing first)',
  name: 'Name',
  latency: 'Latency (highest first)',
  loss: 'Loss (highest first)',
};

/** How the checks are shown: cards or table, grouping, the status filter and the order. All of it lives in the URL. */
export const OverviewControls = memo(function OverviewControls({
  view,
  labelKeys,
  onChange,
}: {
  view: OverviewView;
  /** label keys in use, for "group by label" */
  labelKeys: readonly string[];
  onChange: (change: Partial<OverviewView>) => void;
}) {
  // A key in the URL that no check has (any more) still shows, so the select never lies.
  const groupKey = groupLabelKey(view.group);
  const keys = groupKey && !labelKeys.includes(groupKey) ? [...labelKeys, groupKey] : labelKeys;
  const small = 'h-8 w-auto py-0 pl-2 text-xs';

  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Show checks as" className="inline-flex rounded-md border border-line-strong p-0.5">
        {VIEW_MODES.map((mode) => (
          <button
            key={mode}
            type="button"
            aria-pressed={view.mode === mode}
            onClick={() => onChange({ mode })}
            className={cn(
              'h-7 rounded px-3 text-xs font-medium capitalize transition-colors',
              'focus-visible:ring-2 focus-visible:ring-accent focus-visible:outline-none',
              view.mode === mode ? 'bg-panel-2 text-fg' : 'text-muted hover:text-fg',
            )}
          >
            {mode}
          </button>
        ))}
      </div>
      <label className="flex items-center gap-1.5 text-xs text-muted">
        Group
        <Select className={small} value={view.group} onChange={(e) => onChange({ group: e.target.value as GroupBy })}>
          <option value="none">None</option>
          <option value="agent">Agent</option>
          <option value="type">Type</option>
          {keys.map((key) => (
            <option key={key} value={`label:${key}`}>
              Label: {key}
            </option>
          ))}
        </Select>
      </label>
      <label className="flex items-center gap-1.5 text-xs text-muted">
        Status
        <Select
          className={small}
          value={view.status}
          onChange={(e) => onChange({ status: e.target.value as OverviewView['status'] })}
        >
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {s === 'all' ? 'All' : statusLabel(s)}
            </option>
          ))}
        </Select>
      </label>
      <label className="flex items-center gap-1.5 text-xs text-muted">
        Sort
        <Select className={small} value={view.sort} onChange={(e) => onChange({ sort: e.target.value as SortKey })}>
          {SORT_KEYS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </Select>
      </label>
    </div>
  );
});
