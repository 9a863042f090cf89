import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/db.ts';
import { parseOr400 } from '../../http/errors.ts';
import { Instant } from '../../http/instant.ts';
import { decodeCursor, pageParams, SerialCursor, toPage } from '../../http/paging.ts';
import { listAudit, toAuditEntry } from './repo.ts';

export const AuditQuery = z.strictObject({
  actor: z.uuid('must be a user id (UUID)').optional(),
  action: z
    .string()
    .regex(/^[a-z][a-z-]*(\.[a-z][a-z-]*)*$/, 'must be an action like agent.update, or a prefix like agent')
    .max(64)
    .optional(),
  target: z.string().min(1).max(100).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  ...pageParams,
});

/** GET /api/v1/audit-log: admins read who changed what, newest first, filtered and paged. */
export async function auditRoutes(app: FastifyInstance, opts: { db: Db }) {
  app.get('/api/v1/audit-log', async (request) => {
    const q = parseOr400(AuditQuery, request.query, 'query');
    const after = decodeCursor(q.cursor, SerialCursor);
    const rows = await listAudit(
      opts.db,
      { actorId: q.actor, action: q.action, targetId: q.target, from: q.from, to: q.to },
      q.limit,
      after?.[0],
    );
    return toPage(rows, q.limit, (row) => [String(row.id)], toAuditEntry);
  });
}
