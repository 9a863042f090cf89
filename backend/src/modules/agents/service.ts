import { CHECK_TYPE_OF_AGENT, type AgentAction, type AgentType, type CheckSpec } from '@nop/protocol';
import type { Bus } from '../../bus/bus.ts';
import { CHANNELS } from '../../bus/bus.ts';
import type { Db } from '../../db/db.ts';
import { errors, type FieldError } from '../../http/errors.ts';
import type { Claims } from '../auth/jwt.ts';
import * as repo from './repo.ts';
import { hashAgentToken, newAgentToken } from './tokens.ts';

export type AgentService = ReturnType<typeof createAgentService>;

/** Commands travel on the bus to whichever replica holds the agent's link (or its process). */
export interface AgentCommandEnvelope {
  agentId: string;
  command: 'start' | 'stop' | 'restart' | 'revoke';
}

/** A single-family agent holds only its family's checks; ids are unique within an agent. */
export function checkConfigErrors(type: AgentType, checks: CheckSpec[]): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  checks.forEach((check, i) => {
    if (type !== 'multi' && check.type !== CHECK_TYPE_OF_AGENT[type])
      problems.push({
        path: `body.config.checks[${i}].type`,
        message: `a ${type} agent runs only ${CHECK_TYPE_OF_AGENT[type]} checks (use type multi to mix)`,
      });
    if (seen.has(check.id))
      problems.push({ path: `body.config.checks[${i}].id`, message: `duplicate check id "${check.id}"` });
    seen.add(check.id);
  });
  return problems;
}

function assertConfig(type: AgentType, checks: CheckSpec[]) {
  const problems = checkConfigErrors(type, checks);
  if (problems.length) throw errors.validation(problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}

function assertMayChange(user: Claims, row: repo.AgentRow) {
  if (user.role !== 'admin' && row.owner_id !== user.sub)
    throw errors.forbidden(`only the owner of agent "${row.name}" or an admin may change it`);
}

export function createAgentService(db: Db, bus: Bus) {
  const publishStatus = (row: repo.AgentRow | undefined) =>
    row &&
    bus.publish(CHANNELS.agentStatus, {
      id: row.id,
      status: row.status,
      lastSeen: row.last_seen ? new Date(row.last_seen).toISOString() : null,
    });

  async function mustGet(id: string) {
    const row = await repo.getAgent(db, id);
    if (!row) throw errors.notFound(`no agent with id ${id}`);
    return row;
  }

  return {
    publishStatus,
    list: () => repo.listAgents(db),
    get: mustGet,

    async create(user: Claims, input: { name: string; type: AgentType; checks: CheckSpec[]; managed?: boolean }) {
      assertConfig(input.type, input.checks);
      const token = newAgentToken();
      const row = await db.transaction((tx) =>
        repo.insertAgent(tx, {
          name: input.name,
          type: input.type,
          ownerId: user.sub,
          managed: input.managed ?? false,
          checks: input.checks,
          tokenHash: hashAgentToken(token),
        }),
      );
      if (!row) throw errors.conflict(`an agent named "${input.name}" already exists`);
      return { row, token };
    },

    async update(user: Claims, id: string, change: { name?: string; checks?: CheckSpec[] }) {
      const current = await mustGet(id);
      assertMayChange(user, current);
      if (change.checks) assertConfig(current.type, change.checks);
      if (change.name && change.name !== current.name && (await repo.findAgentByName(db, change.name)))
        throw errors.conflict(`an agent named "${change.name}" already exists`);
      const row = await db.transaction((tx) => repo.updateAgent(tx, id, change));
      if (!row) throw errors.notFound(`no agent with id ${id}`);
      if (change.checks) await bus.publish(CHANNELS.agentConfig, { agentId: id });
      return row;
    },

    async remove(user: Claims, id: string) {
      const current = await mustGet(id);
      assertMayChange(user, current);
      if (current.managed) throw errors.conflict('the managed local agent cannot be deleted; stop it instead');
      await repo.deleteAgent(db, id);
      const envelope: AgentCommandEnvelope = { agentId: id, command: 'revoke' };
      await bus.publish(CHANNELS.agentCommand, envelope);
    },

    async act(user: Claims, id: string, action: AgentAction) {
      const current = await mustGet(id);
      assertMayChange(user, current);
      const row = await repo.setDesiredState(db, id, action === 'stop' ? 'stopped' : 'running');
      const envelope: AgentCommandEnvelope = { agentId: id, command: action };
      await bus.publish(CHANNELS.agentCommand, envelope);
      return row ?? current;
    },

    /** A fresh token for an agent (the managed agent gets one at every spawn; the old one stops working). */
    async rotateToken(id: string) {
      const token = newAgentToken();
      await repo.setTokenHash(db, id, hashAgentToken(token));
      return token;
    },
  };
}
