import type { StreamMessage } from '@nop/protocol';

/**
 * Parses one /ws/stream text frame. Tolerant on purpose: the protocol's zod schemas are strict
 * (unknown keys fail), and a backend that adds a field must not blank the live view. We check
 * only what the dashboard reads and drop anything else (unknown frame types included).
 */
export function parseStreamFrame(data: unknown): StreamMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'hello':
      return typeof value.user === 'string' ? { type: 'hello', user: value.user } : null;
    case 'results': {
      // one malformed result does not cost the others
      const results = Array.isArray(value.results) ? value.results.filter(isResult) : [];
      return results.length ? ({ type: 'results', results } as StreamMessage) : null;
    }
    case 'agent':
      return isAgentUpdate(value.agent) ? ({ type: 'agent', agent: value.agent } as StreamMessage) : null;
    case 'check':
      return typeof value.id === 'string' ? { type: 'check', id: value.id } : null;
    default:
      return null;
  }
}

const STATUSES = new Set(['pending', 'online', 'stopped', 'offline']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isResult(r: unknown): boolean {
  return (
    isRecord(r) &&
    typeof r.agentId === 'string' &&
    typeof r.checkId === 'string' &&
    typeof r.time === 'string' &&
    !Number.isNaN(Date.parse(r.time)) &&
    typeof r.success === 'boolean' &&
    (r.durationMs === null || typeof r.durationMs === 'number')
  );
}

function isAgentUpdate(a: unknown): boolean {
  return (
    isRecord(a) &&
    typeof a.id === 'string' &&
    typeof a.status === 'string' &&
    STATUSES.has(a.status) &&
    (a.lastSeen === null || typeof a.lastSeen === 'string')
  );
}
