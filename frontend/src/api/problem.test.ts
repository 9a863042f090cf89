import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, fieldName, toApiError } from './problem.ts';

describe('toApiError', () => {
  it('keeps the problem detail and maps field errors by leaf name', () => {
    const err = toApiError(400, {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'password: must be at least 8 characters',
      errors: [
        { path: 'password', message: 'must be at least 8 characters' },
        { path: ['config', 'checks', 0, 'target'], message: 'must be host:port' },
      ],
    });
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(errorMessage(err)).toBe('password: must be at least 8 characters');
    expect(err.fieldErrors).toEqual({ password: 'must be at least 8 characters', target: 'must be host:port' });
  });

  it('keeps whole paths too, for forms with nested fields', () => {
    const err = toApiError(400, {
      title: 'Bad Request',
      errors: [
        { path: 'body.jsonAssertions[0].path', message: 'too small' },
        { path: 'body.basicAuth.password', message: 'too long' },
      ],
    });
    expect(err.errors).toEqual([
      { path: 'body.jsonAssertions[0].path', message: 'too small' },
      { path: 'body.basicAuth.password', message: 'too long' },
    ]);
    expect(toApiError(500, undefined).errors).toEqual([]);
  });

  it('uses the title when there is no detail', () => {
    expect(errorMessage(toApiError(409, { title: 'Email already registered', status: 409 }))).toBe(
      'Email already registered',
    );
  });

  it('falls back to words for bodies that are not problem+json', () => {
    expect(errorMessage(toApiError(502, undefined))).toMatch(/unreachable/);
    expect(errorMessage(toApiError(418, 'teapot'))).toBe('Request failed (HTTP 418).');
  });

  it('gives rate limiting advice a person can act on', () => {
    expect(errorMessage(toApiError(429, { title: 'Too Many Requests', status: 429 }))).toMatch(/wait a minute/i);
  });
});

describe('fieldName', () => {
  it('takes the last named segment of any path style', () => {
    expect(fieldName('email')).toBe('email');
    expect(fieldName('/body/email')).toBe('email');
    expect(fieldName('config.checks.0.target')).toBe('target');
    expect(fieldName('config.checks[0].target')).toBe('target');
    expect(fieldName(['name'])).toBe('name');
  });
});

describe('errorMessage', () => {
  it('explains a network failure (fetch throws TypeError)', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/cannot reach the server/i);
  });
});
