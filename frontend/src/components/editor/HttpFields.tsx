import { LockIcon, PlusIcon, XIcon } from '../icons.tsx';
import { Button } from '../ui/Button.tsx';
import { Input, Select } from '../ui/Input.tsx';
import type { AssertionKind, AssertionRow, HeaderRow } from '../../lib/checkEditorDraft.ts';
import {
  CheckboxField,
  IpVersionField,
  Section,
  SelectField,
  TextAreaField,
  TextField,
  fieldId,
  type Bind,
} from './fields.tsx';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'];

/**
 * HTTP: the request (method, headers, body, basic auth), what counts as success (status, body
 * regex, JSON assertions) and how to connect (redirects, TLS verification, IP version). Headers,
 * body and password are write-only: a stored value shows as "stored" and stays unless replaced.
 */
export function HttpFields({ bind }: { bind: Bind }) {
  const { draft } = bind;
  return (
    <>
      <Section title="Request">
        <SelectField bind={bind} name="method" label="Method" options={METHODS} />
        <TextField bind={bind} name="maxRedirects" label="Max redirects" numeric hint="0 = the 3xx is the answer" />
        <IpVersionField bind={bind} />
        <div className="sm:col-span-2 lg:col-span-3">
          <Headers bind={bind} />
        </div>
        <div className="sm:col-span-2 lg:col-span-3">
          {draft.bodyStored ? (
            <StoredSecret
              label="Body"
              what="request body"
              onReplace={() => bind.set({ bodyStored: false, body: '' })}
            />
          ) : (
            <TextAreaField
              bind={bind}
              name="body"
              label="Body"
              placeholder='{"ping": true}'
              hint="write-only: never shown again once saved"
            />
          )}
        </div>
        <TextField bind={bind} name="basicAuthUser" label="Basic auth user" errorKey="basicAuth.username" />
        {draft.basicAuthStored ? (
          <StoredSecret
            label="Basic auth password"
            what="password"
            onReplace={() => bind.set({ basicAuthStored: false, basicAuthPassword: '' })}
          />
        ) : (
          <PasswordField bind={bind} />
        )}
      </Section>

      <Section title="Success" description="A run succeeds when every rule here holds.">
        <TextField
          bind={bind}
          name="expectStatus"
          label="Expected status"
          placeholder="200-399"
          hint="codes, 2xx or ranges, comma-separated"
          mono
        />
        <TextField
          bind={bind}
          name="bodyRegex"
          label="Body regex"
          placeholder='"status":\s*"ok"'
          mono
          hint="the body must match"
        />
        <CheckboxField
          bind={bind}
          name="tlsVerify"
          label="Verify TLS certificate"
          hint="chain and name; off for self-signed"
        />
        <div className="sm:col-span-2 lg:col-span-3">
          <Assertions bind={bind} />
        </div>
      </Section>
    </>
  );
}

function PasswordField({ bind }: { bind: Bind }) {
  const id = fieldId('basicAuthPassword');
  const error = bind.errors['basicAuth.password'];
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-xs font-medium tracking-wide text-muted uppercase">
        Basic auth password
      </label>
      <Input
        id={id}
        type="password"
        autoComplete="new-password"
        value={bind.draft.basicAuthPassword}
        invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => bind.set({ basicAuthPassword: e.target.value })}
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-bad">
          {error}
        </p>
      ) : (
        <p className="text-xs text-faint">write-only</p>
      )}
    </div>
  );
}

/** A write-only value the server keeps: it says so, and "Replace" clears it for a new value. */
function StoredSecret({ label, what, onReplace }: { label: string; what: string; onReplace: () => void }) {
  return (
    <div className="space-y-1.5">
      <span className="block text-xs font-medium tracking-wide text-muted uppercase">{label}</span>
      <div className="flex h-9 items-center gap-2 rounded-md border border-dashed border-line-strong px-3 text-sm text-muted">
        <LockIcon width={12} height={12} className="shrink-0" />
        <span className="flex-1 truncate">Stored — kept as it is</span>
        <Button size="sm" variant="ghost" onClick={onReplace} aria-label={`Replace the stored ${what}`}>
          Replace
        </Button>
      </div>
    </div>
  );
}

function Headers({ bind }: { bind: Bind }) {
  const rows = bind.draft.headers;
  const error = bind.errors.headers;
  const update = (i: number, patch: Partial<HeaderRow>) =>
    bind.set({ headers: rows.map((row, k) => (k === i ? { ...row, ...patch } : row)) });
  return (
    <div className="space-y-1.5" role="group" aria-labelledby="check-headers-label">
      <div className="flex items-center justify-between">
        <span id="check-headers-label" className="text-xs font-medium tracking-wide text-muted uppercase">
          Headers
        </span>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => bind.set({ headers: [...rows, { name: '', value: '', stored: false }] })}
        >
          <PlusIcon /> Add header
        </Button>
      </div>
      {rows.length === 0 && (
        <p className="text-xs text-faint">None. Values are write-only: never shown again once saved.</p>
      )}
      {rows.map((row, i) => (
        <div key={i} className="flex gap-2">
          <div className="w-2/5 min-w-0">
            <Input
              aria-label={`Header ${i + 1} name`}
              className="font-mono"
              placeholder="Authorization"
              value={row.name}
              // a stored value is matched by its name: renaming it would lose it, so remove and re-add instead
              readOnly={row.stored}
              invalid={Boolean(error)}
              onChange={(e) => update(i, { name: e.target.value })}
            />
          </div>
          <div className="min-w-0 flex-1">
            <Input
              aria-label={`Header ${i + 1} value`}
              className="font-mono"
              placeholder={row.stored ? 'stored — type to replace' : 'value'}
              value={row.value}
              invalid={Boolean(error)}
              onChange={(e) => update(i, { value: e.target.value, stored: row.stored && e.target.value === '' })}
            />
          </div>
          <Button
            size="icon"
            variant="ghost"
            aria-label={`Remove header ${row.name || i + 1}`}
            onClick={() => bind.set({ headers: rows.filter((_, k) => k !== i) })}
          >
            <XIcon />
          </Button>
        </div>
      ))}
      {error && (
        <p role="alert" className="text-xs text-bad">
          {error}
        </p>
      )}
    </div>
  );
}

const KINDS: ReadonlyArray<{ value: AssertionKind; label: string }> = [
  { value: 'exists', label: 'exists' },
  { value: 'equals', label: 'equals' },
  { value: 'matches', label: 'matches regex' },
];

function Assertions({ bind }: { bind: Bind }) {
  const rows = bind.draft.jsonAssertions;
  const update = (i: number, patch: Partial<AssertionRow>) =>
    bind.set({ jsonAssertions: rows.map((row, k) => (k === i ? { ...row, ...patch } : row)) });
  return (
    <div className="space-y-1.5" role="group" aria-labelledby="check-assertions-label">
      <div className="flex items-center justify-between">
        <span id="check-assertions-label" className="text-xs font-medium tracking-wide text-muted uppercase">
          JSON assertions
        </span>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => bind.set({ jsonAssertions: [...rows, { path: '', kind: 'exists', value: '' }] })}
        >
          <PlusIcon /> Add assertion
        </Button>
      </div>
      {rows.length === 0 && (
        <p className="text-xs text-faint">None. A path like data.items[0].id must exist, equal a value or match.</p>
      )}
      {rows.map((row, i) => {
        const error = bind.errors[`jsonAssertions.${i}`];
        return (
          <div key={i} className="space-y-1">
            <div className="flex flex-wrap gap-2 sm:flex-nowrap">
              <div className="w-full min-w-0 sm:w-2/5">
                <Input
                  aria-label={`Assertion ${i + 1} path`}
                  className="font-mono"
                  placeholder="data.status"
                  value={row.path}
                  invalid={Boolean(error)}
                  onChange={(e) => update(i, { path: e.target.value })}
                />
              </div>
              <div className="w-36 shrink-0">
                <Select
                  aria-label={`Assertion ${i + 1} kind`}
                  value={row.kind}
                  onChange={(e) => update(i, { kind: e.target.value as AssertionKind })}
                >
                  {KINDS.map((k) => (
                    <option key={k.value} value={k.value}>
                      {k.label}
                    </option>
                  ))}
                </Select>
              </div>
              {row.kind !== 'exists' && (
                <div className="min-w-0 flex-1">
                  <Input
                    aria-label={`Assertion ${i + 1} value`}
                    className="font-mono"
                    placeholder={row.kind === 'equals' ? '"ok", 42, true, null' : '^v\\d+'}
                    value={row.value}
                    invalid={Boolean(error)}
                    onChange={(e) => update(i, { value: e.target.value })}
                  />
                </div>
              )}
              <Button
                size="icon"
                variant="ghost"
                aria-label={`Remove assertion ${i + 1}`}
                onClick={() => bind.set({ jsonAssertions: rows.filter((_, k) => k !== i) })}
              >
                <XIcon />
              </Button>
            </div>
            {error && (
              <p role="alert" className="text-xs text-bad">
                {error}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}
