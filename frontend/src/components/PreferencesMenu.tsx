import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useNow } from '../lib/clock.ts';
import { clockChoice, formatTime, useClockChoice, type ClockChoice } from '../lib/format.ts';
import { useTheme, type ThemeChoice } from '../lib/theme.ts';

const THEMES: Array<{ value: ThemeChoice; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const CLOCKS: Array<{ value: ClockChoice; label: string }> = [
  { value: 'auto', label: 'As my language' },
  { value: '24h', label: '24-hour' },
  { value: '12h', label: '12-hour' },
];

/**
 * The header's display settings: theme and clock, remembered by this browser. A button that opens
 * a small panel of two radio groups: native radios give Tab between the groups, arrow keys within
 * one, and a label for each choice without any ARIA widget code. Esc, a click outside, or Tab out
 * of the panel close it; Esc puts focus back on the button.
 */
export function PreferencesMenu() {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const theme = useTheme();

  useEffect(() => {
    if (!open) return;
    wrapper.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!wrapper.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div
      ref={wrapper}
      className="relative"
      onBlur={(e) => {
        if (open && !wrapper.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label="Display settings"
        title="Display settings: theme and clock"
        onClick={() => setOpen((o) => !o)}
        className="grid size-8 place-items-center rounded-md text-muted transition-colors hover:bg-panel-2 hover:text-fg"
      >
        <ThemeIcon dark={theme.theme === 'dark'} />
      </button>
      {open && (
        <div
          id={panelId}
          role="group"
          aria-label="Display settings"
          className="absolute top-full right-0 z-30 mt-2 w-60 space-y-3 rounded-lg border border-line-strong bg-panel p-3 text-sm text-fg shadow-xl shadow-black/20"
        >
          <Choices
            legend="Theme"
            name={`${panelId}-theme`}
            options={THEMES}
            value={theme.choice}
            onChange={theme.setChoice}
          />
          <ClockChoices name={`${panelId}-clock`} />
        </div>
      )}
    </div>
  );
}

/** Its own component: only this re-renders every minute to keep the sample times current. */
function ClockChoices({ name }: { name: string }) {
  const now = useNow(60_000);
  const clock = useClockChoice();
  const options = CLOCKS.map((o) => ({
    ...o,
    hint: formatTime(now, { clock: o.value, seconds: false }),
  }));
  return <Choices legend="Time" name={name} options={options} value={clock} onChange={clockChoice.set} />;
}

function Choices<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  options: Array<{ value: T; label: string; hint?: ReactNode }>;
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset>
      <legend className="mb-1 px-2 text-xs font-medium tracking-wide text-muted uppercase">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 hover:bg-panel-2">
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            className="size-3.5 accent-accent"
          />
          <span className="flex-1">{o.label}</span>
          {o.hint && <span className="font-mono text-xs text-muted tabular-nums">{o.hint}</span>}
        </label>
      ))}
    </fieldset>
  );
}

/** Half-filled circle: the usual sign for "light or dark"; which half is filled follows the theme. */
function ThemeIcon({ dark }: { dark: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d={dark ? 'M8 2a6 6 0 0 0 0 12z' : 'M8 2a6 6 0 0 1 0 12z'} fill="currentColor" />
    </svg>
  );
}
