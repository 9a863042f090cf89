import { useState, type FormEvent } from 'react';
import type { AuditQuery } from '../../api/audit.ts';
import { useAllUsers } from '../../hooks/useAudit.ts';
import { AUDIT_ACTIONS, auditQueryFrom, NO_FILTERS, type AuditFilterFields } from '../../lib/auditQuery.ts';
import { Button } from '../ui/Button.tsx';
import { Field } from '../ui/Field.tsx';
import { Input, Select } from '../ui/Input.tsx';

/** Action (or prefix), actor, and a time window; applied on submit so typing doesn't fire a query per key. */
export function AuditFilters({ onApply }: { onApply: (query: AuditQuery) => void }) {
  const users = useAllUsers();
  const [fields, setFields] = useState<AuditFilterFields>(NO_FILTERS);
  const [errors, setErrors] = useState<Partial<Record<keyof AuditFilterFields, string>>>({});

  const set = (key: keyof AuditFilterFields) => (value: string) => {
    setFields((f) => ({ ...f, [key]: value }));
    setErrors(({ [key]: _drop, ...rest }) => rest);
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const { query, errors } = auditQueryFrom(fields);
    setErrors(errors);
    if (Object.keys(errors).length === 0) onApply(query);
  };

  /** One end of the time window, in local time as typed. */
  const timeField = (key: 'from' | 'to', label: string) => (
    <Field label={label} htmlFor={`audit-${key}`} error={errors[key]}>
      <Input
        id={`audit-${key}`}
        type="datetime-local"
        value={fields[key]}
        invalid={Boolean(errors[key])}
        onChange={(e) => set(key)(e.target.value)}
      />
    </Field>
  );

  const clear = () => {
    setFields(NO_FILTERS);
    setErrors({});
    onApply({});
  };

  return (
    <form
      noValidate
      onSubmit={apply}
      aria-label="Filter the audit log"
      className="grid items-start gap-3 rounded-lg border border-line bg-panel p-4 sm:grid-cols-2 xl:grid-cols-[1fr_1fr_1fr_1fr_auto]"
    >
      <Field label="Action" htmlFor="audit-action" error={errors.action} hint="An action or its first part: agent">
        <Input
          id="audit-action"
          list="audit-actions"
          placeholder="e.g. user.update"
          autoComplete="off"
          value={fields.action}
          invalid={Boolean(errors.action)}
          onChange={(e) => set('action')(e.target.value)}
        />
        <datalist id="audit-actions">
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </Field>
      <Field label="Actor" htmlFor="audit-actor" error={errors.actor}>
        <Select id="audit-actor" value={fields.actor} onChange={(e) => set('actor')(e.target.value)}>
          <option value="">Anyone</option>
          {(users.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.email})
            </option>
          ))}
        </Select>
      </Field>
      {timeField('from', 'From')}
      {timeField('to', 'To')}
      <div className="flex gap-2 sm:col-span-2 xl:col-span-1 xl:pt-[1.375rem]">
        <Button type="submit" variant="primary">
          Apply
        </Button>
        <Button onClick={clear}>Reset</Button>
      </div>
    </form>
  );
}
