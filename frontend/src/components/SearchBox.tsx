import { SearchIcon, XIcon } from './icons.tsx';

/** Filters agents and checks; "/" focuses it from anywhere, Esc clears it. */
export function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <label className="relative block w-full sm:w-72">
      <span className="sr-only">Search agents and checks</span>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-faint" />
      <input
        id="search"
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onChange('');
        }}
        placeholder="Filter by name, target, check id…"
        autoComplete="off"
        spellCheck={false}
        className="h-9 w-full rounded-md border border-line-strong bg-bg pr-8 pl-8 text-sm text-fg placeholder:text-faint focus:border-accent focus:ring-2 focus:ring-accent/25 focus:outline-none [&::-webkit-search-cancel-button]:hidden"
      />
      {value ? (
        <button
          type="button"
          onClick={() => onChange('')}
          className="absolute top-1/2 right-2 -translate-y-1/2 rounded p-0.5 text-faint hover:text-fg"
          aria-label="Clear search"
        >
          <XIcon />
        </button>
      ) : (
        <kbd className="pointer-events-none absolute top-1/2 right-2 hidden -translate-y-1/2 rounded border border-line-strong px-1 font-mono text-[10px] text-faint sm:block">
          /
        </kbd>
      )}
    </label>
  );
}
