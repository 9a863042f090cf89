import { CheckSpec, type Agent, type CheckSpecInput } from '@nop/protocol';
import { useState } from 'react';
import { ApiError, errorMessage } from '../api/problem.ts';
import { useUpdateChecks } from '../hooks/useAgents.ts';
import { draftToSpec, emptyDraft, type CheckDraft } from '../lib/checkDraft.ts';
import { secretsSet } from '../lib/checkSecrets.ts';
import { formatInterval } from '../lib/format.ts';
import { issuesToFieldErrors } from '../lib/formErrors.ts';
import { CheckDraftFields } from './CheckDraftFields.tsx';
import { LockIcon, PlusIcon, XIcon } from './icons.tsx';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { Dialog } from './ui/Dialog.tsx';

/** Add and remove an agent's checks, then save them in one PATCH (the API replaces the list). */
export function EditChecksDialog({ agent, onClose }: { agent: Agent | null; onClose: () => void }) {
  return (
    <Dialog
      open={agent !== null}
      onClose={onClose}
      title={agent ? `Checks of “${agent.name}”` : 'Checks'}
      description="Saved changes are sent to the agent, which applies them without a restart."
      className="w-[min(40rem,calc(100vw-2rem))]"
    >
      {agent && <EditChecks key={agent.id} agent={agent} onDone={onClose} />}
    </Dialog>
  );
}

function EditChecks({ agent, onDone }: { agent: Agent; onDone: () => void }) {
  // The checks exactly as the API gave them: secrets come masked and go back masked, which keeps them.
  const [checks, setChecks] = useState<CheckSpecInput[]>(agent.config.checks);
  const [draft, setDraft] = useState<CheckDraft>(emptyDraft(agent.type));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useUpdateChecks(agent.id);
  const taken = new Set(checks.map((c) => c.id));
  const dirty = JSON.stringify(checks) !== JSON.stringify(agent.config.checks) || draft.target.trim() !== '';

  /** The draft as a valid spec, or null with its errors shown. */
  const validDraft = (): CheckSpecInput | null => {
    const spec = draftToSpec(draft, taken);
    if (!spec) {
      setErrors({ target: 'Enter a target to add a check.' });
      return null;
    }
    const parsed = CheckSpec.safeParse(spec);
    if (!parsed.success) {
      setErrors(issuesToFieldErrors(parsed.error.issues));
      return null;
    }
    return spec;
  };

  const add = () => {
    const spec = validDraft();
    if (!spec) return;
    setChecks((list) => [...list, spec]);
    setDraft((d) => ({ ...d, target: '' }));
    setErrors({});
  };

  const submit = () => {
    // A target typed but not yet added is surely meant to be saved too.
    let next = checks;
    if (draft.target.trim()) {
      const spec = validDraft();
      if (!spec) return;
      next = [...checks, spec];
    }
    save.mutate(next, {
      onSuccess: onDone,
      onError: (error) => {
        if (error instanceof ApiError) setErrors(error.fieldErrors);
      },
    });
  };

  return (
    <div className="space-y-4">
      {save.isError && <Alert>{errorMessage(save.error)}</Alert>}
      {checks.length === 0 ? (
        <p className="rounded-md border border-dashed border-line-strong px-3 py-4 text-center text-sm text-muted">
          No checks yet — add one below.
        </p>
      ) : (
        <ul className="divide-y divide-line rounded-md border border-line">
          {checks.map((c) => (
            <li key={c.id} className="flex items-center gap-3 px-3 py-2 text-sm">
              <span className="w-10 shrink-0 font-mono text-[11px] text-faint uppercase">{c.type}</span>
              <div className="min-w-0 flex-1">
                <div className="truncate font-mono text-xs text-fg">{c.id}</div>
                <div className="truncate text-xs text-muted" title={c.target}>
                  {c.target}
                </div>
                <SecretsNote check={c} />
              </div>
              <span className="shrink-0 font-mono text-xs text-faint">
                {typeof c.interval === 'number' ? formatInterval(c.interval) : c.interval}
              </span>
              <Button
                size="icon"
                variant="ghost"
                className="hover:text-bad"
                aria-label={`Remove check ${c.id}`}
                title="Remove"
                onClick={() => setChecks((list) => list.filter((x) => x.id !== c.id))}
              >
                <XIcon />
              </Button>
            </li>
          ))}
        </ul>
      )}

      <fieldset className="rounded-md border border-line p-3">
        <legend className="px-1 text-xs font-medium tracking-wide text-muted uppercase">Add a check</legend>
        <CheckDraftFields
          agentType={agent.type}
          draft={draft}
          taken={taken}
          errors={errors}
          onChange={(next) => {
            setDraft(next);
            setErrors({});
          }}
        />
        {draft.type && (
          <div className="mt-3 flex justify-end">
            <Button size="sm" onClick={add}>
              <PlusIcon /> Add to list
            </Button>
          </div>
        )}
      </fieldset>

      <div className="flex justify-end gap-2">
        <Button onClick={onDone} disabled={save.isPending}>
          Cancel
        </Button>
        <Button variant="primary" busy={save.isPending} disabled={!dirty} onClick={submit}>
          {save.isPending ? 'Saving…' : 'Save checks'}
        </Button>
      </div>
    </div>
  );
}

/** "Authorization header, basic-auth password set": secrets are write-only, so only that they exist is shown. */
function SecretsNote({ check }: { check: CheckSpecInput }) {
  const secrets = secretsSet(check as CheckSpec);
  if (secrets.length === 0) return null;
  return (
    <div
      className="mt-0.5 flex items-center gap-1 truncate text-[11px] text-faint"
      title="Write-only: the server keeps these and never sends them back. They stay as they are when you save."
    >
      <LockIcon width={11} height={11} className="shrink-0" />
      <span className="truncate">{secrets.join(', ')} set</span>
    </div>
  );
}
