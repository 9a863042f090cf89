import type { AgentType, CheckType } from '@nop/protocol';
import { checkTypesFor, INTERVALS, TARGET_PLACEHOLDER } from '../lib/agentForm.ts';
import { draftCheckId, type CheckDraft } from '../lib/checkDraft.ts';
import { Field } from './ui/Field.tsx';
import { Input, Select } from './ui/Input.tsx';

interface Props {
  agentType: AgentType;
  draft: CheckDraft;
  onChange: (draft: CheckDraft) => void;
  errors: Record<string, string>;
  /** ids the agent already has, so the suggested id is unique */
  taken?: ReadonlySet<string>;
  emptyHint?: string;
}

/** Check type, target and interval; the id is derived from them and shown as a hint. */
export function CheckDraftFields({ agentType, draft, onChange, errors, taken = new Set(), emptyHint }: Props) {
  const types = checkTypesFor(agentType);
  if (types.length === 0) {
    return <p className="text-xs text-faint">Traceroute checks can't be configured from here yet.</p>;
  }
  const id = draftCheckId(draft, taken);
  const targetError = errors.target ?? errors.id;

  return (
    <div className="grid gap-3 sm:grid-cols-[7rem_1fr]">
      <Field label="Check" htmlFor="check-type">
        {types.length > 1 ? (
          <Select
            id="check-type"
            value={draft.type ?? ''}
            onChange={(e) => onChange({ ...draft, type: e.target.value as CheckType })}
          >
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        ) : (
          <div id="check-type" className="flex h-9 items-center font-mono text-sm text-muted">
            {draft.type}
          </div>
        )}
      </Field>
      <Field
        label="Target"
        htmlFor="check-target"
        error={targetError}
        hint={
          id ? (
            <>
              Check id: <span className="font-mono text-muted">{id}</span>
            </>
          ) : (
            emptyHint
          )
        }
      >
        <Input
          id="check-target"
          placeholder={draft.type ? TARGET_PLACEHOLDER[draft.type] : ''}
          value={draft.target}
          invalid={Boolean(targetError)}
          onChange={(e) => onChange({ ...draft, target: e.target.value })}
        />
      </Field>
      <div className="sm:col-start-2">
        <Field label="Interval" htmlFor="check-interval" error={errors.interval}>
          <Select
            id="check-interval"
            value={draft.intervalMs}
            onChange={(e) => onChange({ ...draft, intervalMs: Number(e.target.value) })}
          >
            {INTERVALS.map((i) => (
              <option key={i.ms} value={i.ms}>
                {i.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
    </div>
  );
}
