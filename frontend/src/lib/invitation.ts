/**
 * Invitation links look like https://nop.example/invite#nop_inv_…: the token sits in the fragment,
 * which browsers never send to a server nor write to its access log. This reads it back out of
 * `location.hash`, tolerating what mail clients and people do to links (a `token=` prefix, percent
 * escapes, stray spaces).
 */
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

export function invitationTokenFromHash(hash: string): string | null {
  let text = hash.replace(/^#/, '').trim();
  if (text.startsWith('token=')) text = text.slice('token='.length);
  try {
    text = decodeURIComponent(text).trim();
  } catch {
    return null;
  }
  return TOKEN.test(text) ? text : null;
}
