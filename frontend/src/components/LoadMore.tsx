import { Button } from './ui/Button.tsx';

/** The footer of a paged list: "Load more" while the server has more, nothing once it has not. */
export function LoadMore({
  hasMore,
  loading,
  onLoad,
  shown,
  noun,
}: {
  hasMore: boolean;
  loading: boolean;
  onLoad: () => void;
  /** how many rows are on screen, said next to the button */
  shown: number;
  noun: string;
}) {
  if (!hasMore) return null;
  return (
    <div className="flex items-center justify-center gap-3 border-t border-line px-4 py-3">
      <span className="text-xs text-faint tabular-nums">
        Showing {shown} {noun}
      </span>
      <Button size="sm" busy={loading} onClick={onLoad}>
        {loading ? 'Loading…' : 'Load more'}
      </Button>
    </div>
  );
}
