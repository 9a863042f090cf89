/** What the sign-in page says after the app signed someone out without being asked to. */

export const EXPIRED_NOTICE = 'Your session has expired. Sign in again.';

/** After a 401: the server's reason ("this account is disabled") when it gave one. */
export function noticeForUnauthorized(detail: string | undefined): string {
  const reason = detail?.trim().replace(/[.:\s]+$/, '');
  if (!reason || /^token expired$/i.test(reason)) return EXPIRED_NOTICE;
  return `You were signed out: ${reason}.`;
}

// The server's close reasons (backend RevocationReason), in words for the sign-in page.
const STREAM_REASONS: Record<string, string> = {
  'signed out': 'You were signed out: this session was signed out.',
  'session revoked': 'You were signed out: this session was ended from another session or by an admin.',
  'password changed': 'You were signed out: your password was changed. Sign in with the new one.',
  'role changed': 'You were signed out: your role was changed. Sign in again to continue with it.',
  'account disabled': 'You were signed out: your account was disabled. Ask an admin.',
  'account deleted': 'You were signed out: your account was deleted.',
  'token revoked': 'You were signed out: the API token was revoked.',
};

/** After the live stream closed with 1008, by its close reason ("session revoked", "token expired"). */
export function noticeForStreamClose(reason: string): string {
  if (/expired/i.test(reason)) return EXPIRED_NOTICE;
  return (
    STREAM_REASONS[reason.trim()] ??
    'You were signed out: this session was ended (signed out elsewhere, or your password, role or account changed).'
  );
}
