import type { ExportFormat, ResultStatus } from '@nop/protocol';

/**
 * The results export is a plain GET, but the API takes its credential only from the Authorization
 * header (never from the URL, where logs and history would keep it), so a bare link cannot download
 * it: the page fetches it with the header and saves the body under the server's file name.
 */
export interface ExportFilters {
  checkId: string;
  agentId?: string;
  status?: ResultStatus;
  fromMs: number;
  toMs: number;
}

export const exportQuery = (f: ExportFilters, format: ExportFormat) => ({
  format,
  check_id: f.checkId,
  agent_id: f.agentId,
  status: f.status,
  from: new Date(f.fromMs).toISOString(),
  to: new Date(f.toMs).toISOString(),
});

/** The file name of `Content-Disposition: attachment; filename="…"`, else `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star) {
    try {
      return sanitize(decodeURIComponent(star[1]!)) || fallback;
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return (plain && sanitize(plain[1]!)) || fallback;
}

/** Path separators and characters Windows refuses become "_"; control characters are dropped. */
const sanitize = (name: string) =>
  [...name]
    .filter((c) => c.charCodeAt(0) >= 0x20)
    .join('')
    .replace(/[\\/:*?"<>|]+/g, '_')
    .trim();
