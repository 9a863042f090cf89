/** What the sign-in page says after the app signed someone out without being asked to. */

export const EXPIRED_NOTICE = 'Your session has expired. Sign in again.';

/** After a 401: the server's reason ("this account is disabled") when it gave one. */
export function noticeForUnauthorized(detail: string | undefined): string {
  const reason = detail?.trim().replace(/[.:\s]+$/, '');
  if (!reason || /^token expired$/i.test(reason)) return EXPIRED_NOTICE;
  return `You were signed out: ${reason}.`;
}

/** After the live stream closed with 1008, by its close reason ("session revoked", "token expired"). */
export function noticeForStreamClose(reason: string): string {
  if (/expired/i.test(reason)) return EXPIRED_NOTICE;
  return 'You were signed out: this session was ended (signed out elsewhere, or your password, role or account changed).';
}
