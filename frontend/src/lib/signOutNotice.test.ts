import { describe, expect, it } from 'vitest';
import { EXPIRED_NOTICE, noticeForStreamClose, noticeForUnauthorized } from './signOutNotice.ts';

describe('sign-out notices', () => {
  it('passes the server’s reason for a 401 on', () => {
    expect(noticeForUnauthorized('this account is disabled')).toBe('You were signed out: this account is disabled.');
    expect(noticeForUnauthorized('session ended (signed out or revoked): sign in again')).toBe(
      'You were signed out: session ended (signed out or revoked): sign in again.',
    );
  });

  it('says "expired" when there is no reason or the token simply ran out', () => {
    expect(noticeForUnauthorized(undefined)).toBe(EXPIRED_NOTICE);
    expect(noticeForUnauthorized('  ')).toBe(EXPIRED_NOTICE);
    expect(noticeForUnauthorized('token expired')).toBe(EXPIRED_NOTICE);
  });

  it('explains a stream closed for a revoked or expired session', () => {
    expect(noticeForStreamClose('session revoked')).toMatch(/session was ended/);
    expect(noticeForStreamClose('account disabled')).toBe(
      'You were signed out: your account was disabled. Ask an admin.',
    );
    expect(noticeForStreamClose('password changed')).toMatch(/password was changed/);
    expect(noticeForStreamClose('something new')).toMatch(/session was ended/);
    expect(noticeForStreamClose('token expired')).toBe(EXPIRED_NOTICE);
    expect(noticeForStreamClose('')).toMatch(/signed out/);
  });
});
