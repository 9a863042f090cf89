import { CreateAgentBody, type AgentType } from '@nop/protocol';
import { useState, type FormEvent } from 'react';
import type { CreatedAgent } from '../api/agents.ts';
import { ApiError, errorMessage } from '../api/problem.ts';
import { useCreateAgent } from '../hooks/useAgents.ts';
import { AGENT_TYPES } from '../lib/agentForm.ts';
import { draftToSpec, emptyDraft, type CheckDraft } from '../lib/checkDraft.ts';
import { issuesToFieldErrors } from '../lib/formErrors.ts';
import { CheckDraftFields } from './CheckDraftFields.tsx';
import { Alert } from './ui/Alert.tsx';
import { CreateFormActions } from './ui/CreateFormActions.tsx';
import { Field } from './ui/Field.tsx';
import { Input, Select } from './ui/Input.tsx';

/**
 * Name and type, plus an optional first check so a new agent has something to show. Validated
 * with the protocol's CreateAgentBody before sending, so the messages match the backend's.
 */
export function NewAgentForm({ onCreated, onCancel }: { onCreated: (c: CreatedAgent) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<AgentType>('ping');
  const [draft, setDraft] = useState<CheckDraft>(emptyDraft('ping'));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateAgent();

  const chooseType = (next: AgentType) => {
    setType(next);
    setDraft((d) => ({ ...emptyDraft(next), target: d.target, intervalMs: d.intervalMs }));
    setErrors({});
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const spec = draftToSpec(draft);
    const body = { name: name.trim(), type, config: { checks: spec ? [spec] : [] } };
    const parsed = CreateAgentBody.safeParse(body);
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    create.mutate(body, {
      onSuccess: onCreated,
      onError: (error) => {
        if (error instanceof ApiError) setErrors(error.fieldErrors);
      },
    });
  };

  const formError = create.isError && !Object.keys(errors).length ? errorMessage(create.error) : errors._form;

  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      {formError && <Alert>{formError}</Alert>}
      <Field
        label="Name"
        htmlFor="agent-name"
        error={errors.name}
        hint="Letters, digits, space, “_”, “-”, “.”; up to 63."
      >
        <Input
          id="agent-name"
          autoFocus
          placeholder="edge-fra-1"
          value={name}
          invalid={Boolean(errors.name)}
          onChange={(e) => {
            setName(e.target.value);
            setErrors(({ name: _n, ...rest }) => rest);
          }}
        />
      </Field>
      <Field label="Type" htmlFor="agent-type" error={errors.type}>
        <Select id="agent-type" value={type} onChange={(e) => chooseType(e.target.value as AgentType)}>
          {AGENT_TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </Select>
      </Field>

      <fieldset className="rounded-md border border-line p-3">
        <legend className="px-1 text-xs font-medium tracking-wide text-muted uppercase">First check (optional)</legend>
        <CheckDraftFields
          agentType={type}
          draft={draft}
          errors={errors}
          emptyHint="Leave empty to add checks later."
          onChange={(next) => {
            setDraft(next);
            setErrors(({ target: _t, id: _i, interval: _v, ...rest }) => rest);
          }}
        />
      </fieldset>

      <CreateFormActions pending={create.isPending} onCancel={onCancel} label="Create agent" />
    </form>
  );
}
