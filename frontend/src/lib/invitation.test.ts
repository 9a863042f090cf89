import { describe, expect, it } from 'vitest';
import { invitationTokenFromHash } from './invitation.ts';

describe('invitationTokenFromHash', () => {
  it('reads the token from the fragment', () => {
    expect(invitationTokenFromHash('#nop_inv_AbC-123_x')).toBe('nop_inv_AbC-123_x');
  });

  it('accepts a token= prefix, percent escapes and surrounding spaces', () => {
    expect(invitationTokenFromHash('#token=nop_inv_abc')).toBe('nop_inv_abc');
    expect(invitationTokenFromHash('#%20nop_inv_abc%20')).toBe('nop_inv_abc');
  });

  it('answers null without a usable token', () => {
    expect(invitationTokenFromHash('')).toBeNull();
    expect(invitationTokenFromHash('#')).toBeNull();
    expect(invitationTokenFromHash('#not a token')).toBeNull();
    expect(invitationTokenFromHash('#%E0%A4%A')).toBeNull();
    expect(invitationTokenFromHash(`#${'a'.repeat(201)}`)).toBeNull();
  });
});
