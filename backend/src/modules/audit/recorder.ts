import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/db.ts';
import { scrubText } from '../../lib/scrub-text.ts';
import { insertAudit, type AuditRecord } from './repo.ts';

/** What a handler adds to its route's audit entry (the route's policy names the action). */
export interface AuditNote {
  /** the actor when nobody was signed in: the account a sign-up or an accepted invitation made */
  actor?: { id: string; name: string };
  /** the target when it is not the route's :id (a created agent) or to give its name */
  target?: { id?: string; name?: string };
  /** what changed, by name: never secret values */
  details?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    audit: AuditNote;
  }
}

/** Mutations that happened, were refused for lack of rights, and every login attempt. */
const worthRecording = (action: string, status: number) =>
  status < 400 || status === 403 || (action === 'auth.login' && (status === 401 || status === 429));

/**
 * Writes an audit entry for every route whose policy names an action, before the answer leaves (so
 * a client that got its answer finds the entry). Who, what, which target, from which address, and
 * the status; details name the fields changed, never their values.
 */
export const auditRecorder = fp<{ db: Db }>(async (app: FastifyInstance, { db }) => {
  // one note per request, made on first use (a decorator value would be shared by every request)
  const notes = new WeakMap<object, AuditNote>();
  app.decorateRequest('audit', {
    getter() {
      let note = notes.get(this);
      if (!note) notes.set(this, (note = {}));
      return note;
    },
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const spec = request.policy && 'audit' in request.policy ? request.policy.audit : undefined;
    if (!spec || !worthRecording(spec.action, reply.statusCode)) return payload;
    const note = request.audit;
    const principal = request.principal;
    const params = request.params as { id?: unknown } | undefined;
    const targetId = note.target?.id ?? (typeof params?.id === 'string' ? params.id.slice(0, 100) : undefined);
    const record: AuditRecord = {
      actorKind: principal ? (principal.kind === 'token' ? 'token' : 'user') : note.actor ? 'user' : 'anonymous',
      actorId: principal?.userId ?? note.actor?.id ?? null,
      actorName: principal?.name ?? note.actor?.name ?? null,
      action: spec.action,
      targetType: spec.target ?? null,
      targetId: targetId ?? null,
      targetName: note.target?.name ?? null,
      ip: request.ip,
      status: reply.statusCode,
      details: { ...(principal?.tokenId ? { apiToken: principal.tokenId } : {}), ...note.details },
    };
    try {
      // an id the route refused before the input guard ran may hold NUL: kept, made storable
      await insertAudit(db, scrubText(record));
    } catch (error) {
      request.log.error({ err: { message: (error as Error).message }, action: spec.action }, 'audit entry not written');
    }
    return payload;
  });
});
