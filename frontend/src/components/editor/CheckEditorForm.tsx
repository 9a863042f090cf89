import type { Check, CheckType } from '@nop/protocol';
import { useState, type FormEvent } from 'react';
import type { CreateCheckInput, UpdateCheckInput } from '../../api/checks.ts';
import { ApiError, errorMessage } from '../../api/problem.ts';
import { useCreateCheck, useUpdateCheck } from '../../hooks/useChecks.ts';
import { validateDraft, type EditorDraft } from '../../lib/checkEditorDraft.ts';
import { toFieldErrors, unplacedErrors } from '../../lib/checkFieldErrors.ts';
import { checkPagePath } from '../../lib/checkPaths.ts';
import { navigate } from '../../lib/router.ts';
import { useQueryClient } from '@tanstack/react-query';
import { checkKey } from '../../hooks/useCheck.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';
import { AssignmentFields } from './AssignmentFields.tsx';
import { BasicsFields } from './BasicsFields.tsx';
import { DnsFields } from './DnsFields.tsx';
import type { Bind } from './fields.tsx';
import { HttpFields } from './HttpFields.tsx';
import { IcmpFields } from './IcmpFields.tsx';
import { InterfaceFields } from './InterfaceFields.tsx';
import { TcpFields } from './TcpFields.tsx';
import { TracerouteFields } from './TracerouteFields.tsx';

/** The error keys each type's form shows next to a field; anything else goes to the banner. */
const COMMON = ['type', 'id', 'target', 'interval', 'timeout', 'labels', 'enabled', 'agentIds', 'selector'];
const SHOWN: Record<CheckType, string[]> = {
  icmp: ['count', 'size', 'echoInterval', 'ttl', 'dontFragment', 'ipVersion'],
  http: ['method', 'headers', 'body', 'expectStatus', 'bodyRegex', 'maxRedirects', 'tlsVerify', 'ipVersion'].concat(
    'basicAuth.username',
    'basicAuth.password',
  ),
  tcp: ['tls', 'tlsVerify', 'serverName', 'send', 'expect', 'ipVersion'],
  dns: ['recordType', 'server', 'transport', 'expectRcode', 'expectAnswers', 'expectRegex'],
  traceroute: ['mode', 'port', 'flows', 'maxHops', 'probesPerHop', 'probeTimeout', 'resolveNames', 'ipVersion'],
  interface: ['sampleWindow'],
};
const isShown = (type: CheckType, key: string) =>
  COMMON.includes(key) || SHOWN[type].includes(key) || (type === 'http' && key.startsWith('jsonAssertions.'));

/** Draft fields whose errors sit under another key. */
const ERROR_KEYS: Partial<Record<keyof EditorDraft, string[]>> = {
  basicAuthUser: ['basicAuth.username', 'basicAuth'],
  basicAuthPassword: ['basicAuth.password', 'basicAuth'],
  basicAuthStored: ['basicAuth.password', 'basicAuth'],
  bodyStored: ['body'],
  // changing the interval or the echoes moves the run-length rules' errors
  interval: ['interval', 'timeout', 'count'],
  timeout: ['timeout', 'count', 'sampleWindow', 'probeTimeout'],
  echoInterval: ['echoInterval', 'count'],
};

/**
 * The check editor: every setting of the type, validated in the browser with the protocol's schema
 * before sending, the API's field errors shown on the matching fields after. Saving opens the check.
 */
export function CheckEditorForm({
  initial,
  original,
  ownerScope,
}: {
  initial: EditorDraft;
  /** the check being edited; absent when creating */
  original?: Check;
  /** a non-admin owner's id (their selector reaches only their agents); null for admins */
  ownerScope: string | null;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const create = useCreateCheck();
  const update = useUpdateCheck(original?.id ?? '');
  const qc = useQueryClient();
  const pending = create.isPending || update.isPending;

  const bind: Bind = {
    draft,
    errors,
    set: (patch) => {
      setDraft((d) => ({ ...d, ...patch }));
      setErrors((old) => {
        const next = { ...old };
        for (const key of Object.keys(patch) as (keyof EditorDraft)[])
          for (const k of [key, ...(ERROR_KEYS[key] ?? [])]) {
            delete next[k];
            for (const nested of Object.keys(next)) if (nested.startsWith(`${k}.`)) delete next[nested];
          }
        return next;
      });
      setBanner(null);
    },
  };

  const show = (found: Record<string, string>, fallback: string) => {
    setErrors(found);
    const unplaced = unplacedErrors(found, new Set(Object.keys(found).filter((k) => isShown(draft.type, k))));
    setBanner(unplaced.length ? unplaced.join(' ') : Object.keys(found).length ? null : fallback);
  };

  const onError = (error: Error) => {
    if (error instanceof ApiError && error.errors.length > 0)
      return show(toFieldErrors(error.errors), errorMessage(error));
    if (error instanceof ApiError && error.status === 409 && !original)
      return show({ id: error.detail ?? 'A check with this id exists already.' }, errorMessage(error));
    show({}, errorMessage(error));
  };

  const onSaved = (check: Check) => {
    qc.setQueryData(checkKey(check.id), check);
    navigate(checkPagePath(check.id));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pending) return;
    const { body, errors: found } = validateDraft(draft, original ? 'edit' : 'create', original);
    if (!body) {
      show(found, 'Some settings are not valid.');
      // take the eye to the first field that needs it
      requestAnimationFrame(() =>
        document
          .querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')
          ?.scrollIntoView({ block: 'center' }),
      );
      return;
    }
    setErrors({});
    setBanner(null);
    if (original) update.mutate(body as UpdateCheckInput, { onSuccess: onSaved, onError });
    // validated with the protocol's schema above
    else create.mutate(body as unknown as CreateCheckInput, { onSuccess: onSaved, onError });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-5">
      {banner && <Alert>{banner}</Alert>}
      <BasicsFields bind={bind} creating={!original} />
      {draft.type === 'icmp' && <IcmpFields bind={bind} />}
      {draft.type === 'http' && <HttpFields bind={bind} />}
      {draft.type === 'tcp' && <TcpFields bind={bind} />}
      {draft.type === 'dns' && <DnsFields bind={bind} />}
      {draft.type === 'traceroute' && <TracerouteFields bind={bind} />}
      {draft.type === 'interface' && <InterfaceFields bind={bind} />}
      <AssignmentFields bind={bind} ownerScope={ownerScope} />
      <div className="flex flex-wrap items-center justify-end gap-2">
        {Object.keys(errors).length > 0 && (
          <span className="mr-auto text-xs text-bad">Fix the fields marked in red, then save again.</span>
        )}
        <Button onClick={() => navigate(original ? checkPagePath(original.id) : '/')} disabled={pending}>
          Cancel
        </Button>
        <SubmitButton pending={pending} pendingLabel="Saving…">
          {original ? 'Save check' : 'Create check'}
        </SubmitButton>
      </div>
    </form>
  );
}
