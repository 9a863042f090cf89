import { describe, expect, it } from 'vitest';
import { auditQueryFrom, formatAuditDetails, localToIso, NO_FILTERS } from './auditQuery.ts';

describe('auditQueryFrom', () => {
  it('sends nothing for empty filters', () => {
    expect(auditQueryFrom(NO_FILTERS)).toEqual({ query: {}, errors: {} });
  });

  it('takes an action or a prefix, tidied the way people type it', () => {
    expect(auditQueryFrom({ ...NO_FILTERS, action: ' Agent.Update ' }).query).toEqual({ action: 'agent.update' });
    expect(auditQueryFrom({ ...NO_FILTERS, action: 'api-token.' }).query).toEqual({ action: 'api-token' });
  });

  it('refuses what the backend would refuse, by the field', () => {
    expect(auditQueryFrom({ ...NO_FILTERS, action: 'agent update' }).errors.action).toMatch(/agent\.update/);
    expect(auditQueryFrom({ ...NO_FILTERS, actor: 'ada' }).errors.actor).toBeDefined();
    expect(auditQueryFrom({ ...NO_FILTERS, from: '2026-13-45' }).errors.from).toBeDefined();
  });

  it('turns local times into ISO instants and checks their order', () => {
    const fields = { ...NO_FILTERS, from: '2026-03-01T10:00', to: '2026-03-02T09:30' };
    const { query, errors } = auditQueryFrom(fields);
    expect(errors).toEqual({});
    expect(query.from).toBe(new Date('2026-03-01T10:00').toISOString());
    expect(query.to).toBe(new Date('2026-03-02T09:30').toISOString());
    expect(auditQueryFrom({ ...fields, from: fields.to, to: fields.from }).errors.to).toMatch(/after/);
  });

  it('passes a user id as actor', () => {
    const id = '0b6c3a3e-5c1e-4c55-9a8e-2f0f3c1f9d11';
    expect(auditQueryFrom({ ...NO_FILTERS, actor: id }).query).toEqual({ actor: id });
  });
});

describe('localToIso', () => {
  it('answers null for anything but a datetime-local value', () => {
    expect(localToIso('')).toBeNull();
    expect(localToIso('yesterday')).toBeNull();
    expect(localToIso('2026-03-01')).toBeNull();
    expect(localToIso('2026-03-01T10:00:30')).toBe(new Date('2026-03-01T10:00:30').toISOString());
  });
});

describe('formatAuditDetails', () => {
  it('lists details in one line and cuts long values', () => {
    expect(formatAuditDetails({ role: 'viewer', fields: ['name'] })).toBe('role: viewer · fields: ["name"]');
    expect(formatAuditDetails({ note: 'x'.repeat(100) }, 10)).toBe(`note: ${'x'.repeat(9)}…`);
    expect(formatAuditDetails({})).toBe('');
  });
});
