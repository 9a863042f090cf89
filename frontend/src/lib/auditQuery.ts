import type { AuditQuery } from '../api/audit.ts';

/** The audit page's filter fields as typed: `from`/`to` are <input type="datetime-local"> values (local time). */
export interface AuditFilterFields {
  action: string;
  actor: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilterFields = { action: '', actor: '', from: '', to: '' };

/** The actions the backend records (backend/src/http/policy.ts), offered as suggestions; prefixes match too. */
export const AUDIT_ACTIONS = [
  'agent',
  'agent.create',
  'agent.update',
  'agent.delete',
  'agent.action',
  'auth',
  'auth.signup',
  'auth.login',
  'auth.logout',
  'auth.password',
  'user',
  'user.create',
  'user.update',
  'user.delete',
  'invitation',
  'invitation.create',
  'invitation.accept',
  'invitation.revoke',
  'session.revoke',
  'api-token',
  'api-token.create',
  'api-token.revoke',
];

/** The backend's rule for `action` (an action or a prefix of one), checked here to say so by the field. */
const ACTION = /^[a-z][a-z-]*(\.[a-z][a-z-]*)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A datetime-local value ("2026-03-01T10:30") as an ISO instant, or null when it is not a time. */
export function localToIso(value: string): string | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value)) return null;
  const date = new Date(value); // no zone in the text: the browser reads it as local time, as typed
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The query for GET /api/v1/audit-log, or the message for each field that cannot be sent. */
export function auditQueryFrom(fields: AuditFilterFields): {
  query: AuditQuery;
  errors: Partial<Record<keyof AuditFilterFields, string>>;
} {
  const query: AuditQuery = {};
  const errors: Partial<Record<keyof AuditFilterFields, string>> = {};

  const action = fields.action.trim().toLowerCase().replace(/\.+$/, '');
  if (action) {
    if (ACTION.test(action) && action.length <= 64) query.action = action;
    else errors.action = 'Use an action like agent.update, or its first part like agent.';
  }

  if (fields.actor) {
    if (UUID.test(fields.actor)) query.actor = fields.actor;
    else errors.actor = 'Pick a user from the list.';
  }

  for (const key of ['from', 'to'] as const) {
    if (!fields[key]) continue;
    const iso = localToIso(fields[key]);
    if (iso) query[key] = iso;
    else errors[key] = 'Enter a date and time.';
  }
  if (query.from && query.to && query.from > query.to) errors.to = 'Must be after “from”.';

  return { query, errors };
}

/** An entry's details in one line: "role: viewer · fields: name", long values cut. */
export function formatAuditDetails(details: Record<string, unknown>, maxValue = 60): string {
  return Object.entries(details)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${key}: ${text.length > maxValue ? `${text.slice(0, maxValue - 1)}…` : text}`;
    })
    .join(' · ');
}
