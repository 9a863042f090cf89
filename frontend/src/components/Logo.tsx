/** Wordmark: a pulse line and "NOP", in the theme's colours. */
export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <span className="inline-flex items-center gap-2 select-none">
      <svg viewBox="0 0 32 32" className="size-6" aria-hidden="true">
        <rect width="32" height="32" rx="7" className="fill-panel-2" />
        <path
          d="M5 20h5l3-9 5 14 3-8h6"
          fill="none"
          className="stroke-accent"
          strokeWidth="2.6"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span className="font-mono text-[15px] font-bold tracking-[0.2em] text-fg">NOP</span>
      {!compact && <span className="hidden text-xs text-faint xl:inline">Network Observability Platform</span>}
    </span>
  );
}
