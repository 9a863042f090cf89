import type { AuditEntry, Page } from '@nop/protocol';
import { request } from './client.ts';

/** The filters GET /api/v1/audit-log takes (see lib/auditQuery.ts for how the form builds them). */
export interface AuditQuery {
  /** an action or a prefix of one: "agent", "user.role" */
  action?: string;
  /** a user id */
  actor?: string;
  /** ISO-8601 instants */
  from?: string;
  to?: string;
}

export const AUDIT_PAGE = 50;

/** Newest first, a page at a time. */
export const listAudit = (query: AuditQuery, cursor: string | undefined, signal?: AbortSignal) =>
  request<Page<AuditEntry>>('GET', '/api/v1/audit-log', {
    query: { ...query, limit: AUDIT_PAGE, cursor },
    signal,
  });
