import { CheckSpec } from '@nop/protocol';
import { describe, expect, it } from 'vitest';
import { fieldKey, issuesToCheckErrors, parseErrorPath, toFieldErrors, unplacedErrors } from './checkFieldErrors.ts';

describe('check field errors', () => {
  it('parses the API’s paths', () => {
    expect(parseErrorPath('body.jsonAssertions[0].path')).toEqual(['body', 'jsonAssertions', 0, 'path']);
    expect(parseErrorPath('body.headers.X-Key')).toEqual(['body', 'headers', 'X-Key']);
    expect(parseErrorPath('body')).toEqual(['body']);
  });

  it('maps paths to the editor’s fields', () => {
    expect(fieldKey(['body', 'target'])).toBe('target');
    expect(fieldKey(['headers', 'Bad Name'])).toBe('headers');
    expect(fieldKey(['body', 'jsonAssertions', 2, 'matches'])).toBe('jsonAssertions.2');
    expect(fieldKey(['jsonAssertions'])).toBe('jsonAssertions');
    expect(fieldKey(['basicAuth', 'password'])).toBe('basicAuth.password');
    expect(fieldKey(['basicAuth'])).toBe('basicAuth');
    expect(fieldKey(['expectStatus', 0])).toBe('expectStatus');
    expect(fieldKey(['labels', 'Bad Key'])).toBe('labels');
    expect(fieldKey(['agentIds', 3])).toBe('agentIds');
    expect(fieldKey(['body'])).toBe('_form');
    expect(fieldKey([])).toBe('_form');
  });

  it('keeps the first message per field, from the API or from zod alike', () => {
    expect(
      toFieldErrors([
        { path: 'body.target', message: 'must be host:port' },
        { path: 'body.target', message: 'second' },
        { path: 'body.basicAuth.username', message: 'must not contain ":"' },
      ]),
    ).toEqual({ target: 'Must be host:port', 'basicAuth.username': 'Must not contain ":"' });
    const parsed = CheckSpec.safeParse({
      id: 'x',
      type: 'http',
      target: 'http://a',
      headers: { ok: 'a\nb' },
      jsonAssertions: [{ path: '' }],
    });
    expect(parsed.success).toBe(false);
    const errors = issuesToCheckErrors(parsed.error!.issues);
    expect(Object.keys(errors).sort()).toEqual(['headers', 'jsonAssertions.0']);
    expect(errors.headers).toBe('Must not contain line breaks');
    const badName = CheckSpec.safeParse({ id: 'x', type: 'http', target: 'http://a', headers: { 'Bad Name': 'v' } });
    expect(issuesToCheckErrors(badName.error!.issues).headers).toBe('"Bad Name": must be an HTTP header name');
    const badInterval = CheckSpec.safeParse({ id: 'x', type: 'icmp', target: 'a', interval: 'soon' });
    expect(issuesToCheckErrors(badInterval.error!.issues).interval).toMatch(/"soon" is not a duration/);
  });

  it('lists what no field shows', () => {
    expect(unplacedErrors({ target: 'x', _form: 'Whole', quota: 'Too many' }, new Set(['target']))).toEqual([
      'Whole',
      'quota: Too many',
    ]);
  });
});
