import { describe, expect, it } from 'vitest';
import { fieldsToLocation, locationToFields, parseLabel, sortMetaErrors } from './agentMeta.ts';

describe('parseLabel', () => {
  it('reads key=value, forgiving spaces around "="', () => {
    expect(parseLabel('region=eu', {})).toEqual({ ok: true, key: 'region', value: 'eu' });
    expect(parseLabel('  role = edge ', {})).toEqual({ ok: true, key: 'role', value: 'edge' });
    expect(parseLabel('empty=', {})).toEqual({ ok: true, key: 'empty', value: '' });
  });

  it('refuses what is not a label, with the rule', () => {
    expect(parseLabel('region', {})).toMatchObject({ ok: false, error: expect.stringContaining('key=value') });
    expect(parseLabel('Region=eu', {})).toMatchObject({ ok: false, error: expect.stringMatching(/^Key must be/) });
    expect(parseLabel('region=e u', {})).toMatchObject({ ok: false });
    expect(parseLabel('region=-eu', {})).toMatchObject({ ok: false, error: expect.stringMatching(/^Value must/) });
  });

  it('refuses a 33rd label but lets an existing key change', () => {
    const full = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, 'v']));
    expect(parseLabel('another=x', full)).toEqual({ ok: false, error: 'At most 32 labels.' });
    expect(parseLabel('k1=y', full)).toMatchObject({ ok: true });
  });
});

describe('location fields', () => {
  it('is no location when every field is empty', () => {
    expect(fieldsToLocation(locationToFields(null))).toEqual({ ok: true, location: null });
  });

  it('round-trips a full location, accepting a decimal comma', () => {
    const location = { name: 'Frankfurt', latitude: 50.11, longitude: 8.68, provider: 'Hetzner AS24940' };
    expect(fieldsToLocation(locationToFields(location))).toEqual({ ok: true, location });
    expect(fieldsToLocation({ name: 'Frankfurt', latitude: '50,11', longitude: '8,68', provider: '' })).toEqual({
      ok: true,
      location: { name: 'Frankfurt', latitude: 50.11, longitude: 8.68 },
    });
  });

  it('needs a name, coordinates as a pair, and in range', () => {
    expect(fieldsToLocation({ name: '', latitude: '', longitude: '', provider: 'AS1' })).toMatchObject({
      ok: false,
      errors: { name: expect.any(String) },
    });
    expect(fieldsToLocation({ name: 'x', latitude: '50', longitude: '', provider: '' })).toMatchObject({
      ok: false,
      errors: { longitude: expect.stringContaining('together') },
    });
    const out = fieldsToLocation({ name: 'x', latitude: '91', longitude: 'east', provider: '' });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.errors.latitude).toMatch(/90/);
      expect(out.errors.longitude).toMatch(/number/);
    }
  });
});

describe('sortMetaErrors', () => {
  it('puts API errors on the location field or label chip they name', () => {
    expect(
      sortMetaErrors(
        { latitude: 'too big', region: 'must be at most 63 chars', labels: 'at most 32 labels', config: 'bad' },
        ['region'],
      ),
    ).toEqual({
      labels: { region: 'Must be at most 63 chars' },
      location: { latitude: 'Too big' },
      other: ['At most 32 labels', 'config: bad'],
    });
  });
});
