import type { ReactNode } from 'react';
import { errorMessage } from '../../api/problem.ts';
import { Alert } from '../ui/Alert.tsx';
import { Loading } from '../ui/Loading.tsx';
import { Panel } from '../ui/Panel.tsx';

/** A panel around a chart: a spinner until the first data, the error if it failed, else the chart. */
export function ChartSection({
  title,
  summary,
  loading,
  error,
  empty,
  children,
}: {
  title: string;
  summary?: ReactNode;
  loading?: boolean;
  error?: unknown;
  /** shown instead of the chart when there is nothing to draw */
  empty?: string | false;
  children: ReactNode;
}) {
  return (
    <Panel title={title} summary={summary}>
      <div className="px-3 py-3 sm:px-4">
        {loading ? (
          <Loading className="h-40">Loading…</Loading>
        ) : error ? (
          <Alert>
            Couldn't load {title.toLowerCase()}: {errorMessage(error)}
          </Alert>
        ) : empty ? (
          <p className="py-10 text-center text-sm text-muted">{empty}</p>
        ) : (
          children
        )}
      </div>
    </Panel>
  );
}
