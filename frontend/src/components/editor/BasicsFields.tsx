import { CheckType } from '@nop/protocol';
import { TARGET_PLACEHOLDER } from '../../lib/agentForm.ts';
import { changeType, draftId, withInterval } from '../../lib/checkEditorDraft.ts';
import { Field } from '../ui/Field.tsx';
import { Input, Select } from '../ui/Input.tsx';
import { CheckboxField, Section, TextAreaField, TextField, fieldId, type Bind } from './fields.tsx';

const TYPE_WORDS: Record<CheckType, string> = {
  icmp: 'ICMP ping',
  http: 'HTTP(S)',
  tcp: 'TCP connect',
  dns: 'DNS',
  traceroute: 'Traceroute',
  interface: 'Network interface',
};

/** Type, target, id (editable only while creating), schedule, labels and whether it runs. */
export function BasicsFields({ bind, creating }: { bind: Bind; creating: boolean }) {
  const { draft } = bind;
  const typeId = fieldId('type');
  const intervalId = fieldId('interval');
  return (
    <Section title="Check">
      <Field label="Type" htmlFor={typeId} error={bind.errors.type}>
        <Select
          id={typeId}
          value={draft.type}
          onChange={(e) => bind.set(changeType(draft, e.target.value as CheckType))}
        >
          {CheckType.options.map((t) => (
            <option key={t} value={t}>
              {TYPE_WORDS[t]}
            </option>
          ))}
        </Select>
      </Field>
      <div className="sm:col-span-1 lg:col-span-2">
        <TextField bind={bind} name="target" label="Target" placeholder={TARGET_PLACEHOLDER[draft.type]} mono />
      </div>
      {creating ? (
        <TextField
          bind={bind}
          name="id"
          label="Id"
          mono
          placeholder={draftId(draft) || 'made from type and target'}
          hint="left empty: made from type and target; it cannot change later"
        />
      ) : (
        <Field label="Id" htmlFor={fieldId('id')} hint="an id never changes: clone the check for another">
          <Input id={fieldId('id')} value={draft.id} readOnly disabled className="font-mono" />
        </Field>
      )}
      <Field label="Interval" htmlFor={intervalId} error={bind.errors.interval} hint="how often: 1s, 30s, 5m">
        <Input
          id={intervalId}
          value={draft.interval}
          invalid={Boolean(bind.errors.interval)}
          aria-describedby={bind.errors.interval ? `${intervalId}-error` : undefined}
          onChange={(e) => bind.set(withInterval(draft, e.target.value))}
        />
      </Field>
      <TextField bind={bind} name="timeout" label="Timeout" hint="shorter than the interval" />
      <div className="sm:col-span-2">
        <TextAreaField
          bind={bind}
          name="labels"
          label="Labels"
          rows={1}
          placeholder="team=net, env=prod"
          hint="key=value, separated by commas; for filtering checks"
        />
      </div>
      <div className="flex items-end pb-2">
        <CheckboxField bind={bind} name="enabled" label="Enabled" hint="off: saved, but no agent runs it" />
      </div>
    </Section>
  );
}
