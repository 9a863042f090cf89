import type { CheckType, DnsDetails, StreamedResult, TraceDetails } from '@nop/protocol';

/** A stored result as the History API selects it (see RESULT_COLUMNS). */
export interface ResultRow {
  id: string;
  agent_id: string;
  agent_name: string;
  check_id: string;
  type: string;
  target: string;
  time: Date | string;
  success: boolean;
  duration_ms: number | null;
  error: string | null;
  metrics: Record<string, number>;
  trace: TraceDetails | null;
  dns: DnsDetails | null;
}

/** The columns of ResultRow from `check_results r JOIN agents a`. */
export const RESULT_COLUMNS = `r.id, r.agent_id, a.name AS agent_name, r.check_id, r.type, r.target, r.time, r.success,
       r.duration_ms, r.error, r.metrics, r.details -> 'trace' AS trace,
       r.details -> 'dns' AS dns`;

/** A stored result as the stream sends it: absent error, trace and dns are left out, not null. */
export function toStreamedResult(row: ResultRow): StreamedResult {
  return {
    id: row.id,
    checkId: row.check_id,
    type: row.type as CheckType,
    target: row.target,
    time: new Date(row.time).toISOString(),
    success: row.success,
    durationMs: row.duration_ms,
    ...(row.error !== null ? { error: row.error } : {}),
    metrics: row.metrics ?? {},
    ...(row.trace ? { trace: row.trace } : {}),
    ...(row.dns ? { dns: row.dns } : {}),
    agentId: row.agent_id,
    agentName: row.agent_name,
  };
}
