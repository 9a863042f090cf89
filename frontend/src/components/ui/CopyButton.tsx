import { useEffect, useState } from 'react';
import { Button } from './Button.tsx';

/** Copies `text`; says "Copied" for a moment. Falls back to a hidden textarea where the async API is blocked (plain http). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1800);
    return () => clearTimeout(t);
  }, [state]);

  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
      else legacyCopy(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <Button size="sm" variant="secondary" onClick={copy} aria-label={`${label} to clipboard`} className="min-w-16">
      {state === 'copied' ? '✓ Copied' : state === 'failed' ? 'Select & copy' : label}
    </Button>
  );
}

function legacyCopy(text: string): void {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  // Inside a modal <dialog> the rest of the page is inert, so the textarea must live in the dialog.
  const host = document.activeElement?.closest('dialog') ?? document.body;
  host.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy failed');
}
