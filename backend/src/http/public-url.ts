import type { FastifyRequest } from 'fastify';

/**
 * Where people and agents should reach this server (links in answers: an agent's command, an
 * invitation): NOP_PUBLIC_URL when set, else the address this request came in on. No trailing slash.
 */
export const publicBaseUrl = (request: FastifyRequest, publicUrl?: string) =>
  (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
