import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckSpec } from '@nop/protocol';
import { ConfigError, parseChecksDocument } from './config.ts';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** What local control (this API, the Redis channel) may do to the agent. */
export interface ControlTarget {
  /** true when a backend rules config and run state: local changes would fight it, so they are refused */
  linkedToBackend: boolean;
  apply(checks: CheckSpec[]): { added: number; removed: number; changed: number; unchanged: number };
  command(command: 'start' | 'stop' | 'reload'): void;
  state(): { running: boolean; checks: number };
}

export const LINKED_REFUSAL = 'this agent takes its config and commands from the backend; use the backend';

const reply = (res: ServerResponse, status: number, body: object) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body) + '\n');

function authorized(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ConfigError(`body: larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The agent's local control API, on its status port, for hosts without a backend (or tooling
 * beside it): `PUT /config` with `{checks: [...]}` as YAML or JSON applies the checks atomically
 * (a bad one is refused with one line naming line and field, and the running config stays);
 * `POST /commands` `{"command": "start"|"stop"|"reload"}`. Both need
 * `Authorization: Bearer <NOP_AGENT_CONTROL_TOKEN>`; without a token set, the API is off.
 * Returns false for requests that are not its own.
 */
export function controlHandler(token: string | undefined, target: ControlTarget) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/config' && path !== '/commands') return false;
    const method = path === '/config' ? 'PUT' : 'POST';
    if (!token) {
      reply(res, 404, { error: 'the control API is off: set NOP_AGENT_CONTROL_TOKEN (or controlToken) to enable it' });
      return true;
    }
    if (!authorized(req, token)) {
      reply(res, 401, { error: 'a valid control token is required (Authorization: Bearer …)' });
      return true;
    }
    if (req.method !== method) {
      res.setHeader('allow', method);
      reply(res, 405, { error: `use ${method} ${path}` });
      return true;
    }
    if (target.linkedToBackend) {
      reply(res, 409, { error: LINKED_REFUSAL });
      return true;
    }
    void readBody(req)
      .then((body) => {
        if (path === '/config') {
          const checks = parseChecksDocument(body, 'PUT /config');
          return reply(res, 200, { applied: target.apply(checks), ...target.state() });
        }
        let command: unknown;
        try {
          command = (JSON.parse(body) as { command?: unknown }).command;
        } catch {
          throw new ConfigError('POST /commands: body must be JSON like {"command": "stop"}');
        }
        if (command !== 'start' && command !== 'stop' && command !== 'reload')
          throw new ConfigError(
            `POST /commands: command: must be one of start, stop, reload (got ${JSON.stringify(command)})`,
          );
        target.command(command);
        return reply(res, 200, target.state());
      })
      .catch((error: Error) => {
        if (res.headersSent) return;
        reply(res, error instanceof ConfigError ? 400 : 500, { error: error.message });
      });
    return true;
  };
}
