import type { ReactNode } from 'react';
import { errorMessage } from '../api/problem.ts';
import type { PagedList } from '../hooks/usePagedList.ts';
import { LoadMore } from './LoadMore.tsx';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { Loading } from './ui/Loading.tsx';

/**
 * What a panel of a paged list shows under its heading: a spinner until the first page arrives, the
 * error if nothing could be loaded, `empty` when there is nothing, else the table (`children`) with
 * "Load more" under it. A later page that fails keeps the rows already shown.
 */
export function PagedListBody<T>({
  list,
  what,
  noun,
  empty,
  onRetry,
  children,
}: {
  list: PagedList<T>;
  /** what is loading, in "Loading …" and "Couldn't load …": "API tokens", "the audit log" */
  what: string;
  /** what the rows are, in "Showing 50 …" next to Load more: "tokens", "entries" */
  noun: string;
  /** shown instead of an empty table; without it the table shows even with no rows */
  empty?: ReactNode;
  /** offers "Try again" next to the error */
  onRetry?: () => void;
  children: ReactNode;
}) {
  if (list.loading) return <Loading className="py-12">Loading {what}…</Loading>;
  if (list.error && list.items.length === 0)
    return (
      <div className="space-y-3 p-4">
        <Alert>
          Couldn't load {what}: {errorMessage(list.error)}
        </Alert>
        {onRetry && (
          <Button size="sm" onClick={onRetry}>
            Try again
          </Button>
        )}
      </div>
    );
  if (empty && list.items.length === 0) return <div className="p-4">{empty}</div>;
  return (
    <>
      {children}
      <LoadMore
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onLoad={list.loadMore}
        shown={list.items.length}
        noun={noun}
      />
    </>
  );
}
