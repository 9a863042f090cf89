import { Section, TextField, type Bind } from './fields.tsx';

/** Interface counters: the window rates are measured over within each run. */
export function InterfaceFields({ bind }: { bind: Bind }) {
  return (
    <Section title="Interface" description="Reads the interface’s counters twice, a window apart, and reports rates.">
      <TextField bind={bind} name="sampleWindow" label="Sample window" hint="shorter than the timeout: 1s, 500ms" />
    </Section>
  );
}
