import type { Agent } from '@nop/protocol';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../api/problem.ts';
import { useUpdateAgentMeta } from '../../hooks/useAgentMeta.ts';
import {
  fieldsToLocation,
  locationToFields,
  sortMetaErrors,
  type LocationFields,
  type MetaErrors,
} from '../../lib/agentMeta.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { Input } from '../ui/Input.tsx';
import { LabelEditor } from './LabelEditor.tsx';

const NO_ERRORS: MetaErrors = { labels: {}, location: {}, other: [] };

/** Edit an agent's labels and location (PATCH /api/v1/agents/:id). */
export function AgentMetaDialog({ agent, onClose }: { agent: Agent | null; onClose: () => void }) {
  return (
    <Dialog
      open={agent !== null}
      onClose={onClose}
      title={agent ? `Labels and location of “${agent.name}”` : 'Labels and location'}
      description="Labels choose which checks run here (a check's selector, like region=eu); the location says where its results come from."
    >
      {agent && <AgentMetaForm key={agent.id} agent={agent} onDone={onClose} />}
    </Dialog>
  );
}

function AgentMetaForm({ agent, onDone }: { agent: Agent; onDone: () => void }) {
  const [labels, setLabels] = useState<Record<string, string>>(agent.labels ?? {});
  const [fields, setFields] = useState<LocationFields>(locationToFields(agent.location));
  const [errors, setErrors] = useState<MetaErrors>(NO_ERRORS);
  const save = useUpdateAgentMeta(agent.id);

  const set = (name: keyof LocationFields) => (value: string) => {
    setFields((f) => ({ ...f, [name]: value }));
    setErrors((e) => ({ ...e, location: { ...e.location, [name]: undefined } }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const location = fieldsToLocation(fields);
    if (!location.ok) return setErrors({ ...NO_ERRORS, location: location.errors });
    setErrors(NO_ERRORS);
    save.mutate(
      { labels, location: location.location },
      {
        onSuccess: onDone,
        onError: (error) => {
          if (error instanceof ApiError) setErrors(sortMetaErrors(error.fieldErrors, Object.keys(labels)));
        },
      },
    );
  };

  const placed =
    Object.keys(errors.labels).length + Object.values(errors.location).filter(Boolean).length + errors.other.length;
  const banner = errors.other.length
    ? errors.other.join(' ')
    : save.isError && placed === 0
      ? errorMessage(save.error)
      : null;
  const field = (
    name: keyof LocationFields,
    label: string,
    props: { placeholder: string; inputMode?: 'decimal'; hint?: string },
  ) => {
    const id = `agent-location-${name}`;
    const error = errors.location[name];
    return (
      <Field label={label} htmlFor={id} error={error} hint={props.hint}>
        <Input
          id={id}
          value={fields[name]}
          placeholder={props.placeholder}
          inputMode={props.inputMode}
          autoComplete="off"
          invalid={Boolean(error)}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => set(name)(e.target.value)}
        />
      </Field>
    );
  };

  return (
    <form noValidate onSubmit={submit} className="space-y-5">
      {banner && <Alert>{banner}</Alert>}
      <LabelEditor
        labels={labels}
        errors={errors.labels}
        onChange={(next) => {
          setLabels(next);
          setErrors((e) => ({ ...e, labels: {} }));
        }}
      />
      <fieldset className="space-y-3">
        <legend className="text-xs font-medium tracking-wide text-muted uppercase">Location</legend>
        {field('name', 'Place', { placeholder: 'Frankfurt, FRA1', hint: 'Leave every location field empty for none.' })}
        <div className="grid grid-cols-2 gap-3">
          {field('latitude', 'Latitude', { placeholder: '50.11', inputMode: 'decimal' })}
          {field('longitude', 'Longitude', { placeholder: '8.68', inputMode: 'decimal' })}
        </div>
        {field('provider', 'Provider / network', { placeholder: 'Hetzner AS24940' })}
      </fieldset>
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}
