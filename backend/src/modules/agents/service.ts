import { CHECK_TYPE_OF_AGENT, CheckSpec, type AgentAction, type AgentLocation, type AgentType } from '@nop/protocol';
import type { Bus } from '../../bus/bus.ts';
import { CHANNELS } from '../../bus/bus.ts';
import type { Db } from '../../db/db.ts';
import { errors, type FieldError } from '../../http/errors.ts';
import type { SecretCipher } from '../../secrets/cipher.ts';
import { openChecks } from '../../secrets/check-secrets.ts';
import type { Principal } from '../auth/authenticator.ts';
import type { CheckService } from '../checks/service.ts';
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
  if (problems.length) throw errors.invalidFields(problems);
}

function assertMayChange(principal: Principal, row: repo.AgentRow) {
  if (principal.role !== 'admin' && row.owner_id !== principal.userId)
    throw errors.forbidden(`only the owner of agent "${row.name}" or an admin may change it`);
}

/** How much one user may make: configurable (NOP_MAX_AGENTS_PER_USER, NOP_MAX_CHECKS_PER_AGENT). */
export interface AgentQuotas {
  agentsPerUser: number;
  checksPerAgent: number;
}

function assertCheckQuota(checks: CheckSpec[], quotas: AgentQuotas) {
  if (checks.length > quotas.checksPerAgent)
    throw errors.quotaExceeded(
      `body.config.checks: ${checks.length} checks, but an agent may have at most ${quotas.checksPerAgent} (NOP_MAX_CHECKS_PER_AGENT)`,
    );
}

export interface AgentChange {
  name?: string;
  checks?: CheckSpec[];
  labels?: Record<string, string>;
  location?: AgentLocation | null;
}

export function createAgentService(
  db: Db,
  bus: Bus,
  cipher: SecretCipher,
  quotas: AgentQuotas,
  checkService: CheckService,
) {
  const publishStatus = (row: repo.AgentRow | undefined) =>
    row &&
    bus.publish(CHANNELS.agentStatus, {
      id: row.id,
      status: row.status,
      lastSeen: row.last_seen ? new Date(row.last_seen).toISOString() : null,
    });

  async function mustGet(id: string) {
    const row = await repo.getAgent(db, id);
    if (!row) throw errors.notFound(`no agent with id ${id.slice(0, 100)}`);
    return row;
  }

  return {
    publishStatus,
    list: (limit: number, afterName?: string) => repo.listAgents(db, limit, afterName),
    get: mustGet,

    /** The config an agent runs, secrets in clear: for that agent's link only. */
    configFor: (row: repo.AgentRow) => {
      // a check stored before a validation rule existed would make the agent refuse the whole
      // config: it is left out (and named in the log), the others run
      const checks = openChecks(row.config.checks ?? [], cipher);
      const runnable = checks.filter((check) => CheckSpec.safeParse(check).success);
      const skipped = checks.filter((check) => !runnable.includes(check)).map((check) => check.id);
      return { config: { ...row.config, checks: runnable }, skipped };
    },

    async create(
      principal: Principal,
      input: {
        name: string;
        type: AgentType;
        checks: CheckSpec[];
        labels?: Record<string, string>;
        location?: AgentLocation | null;
      },
    ) {
      assertConfig(input.type, input.checks);
      assertCheckQuota(input.checks, quotas);
      const token = newAgentToken();
      const created = await db.transaction(async (tx) => {
        // one creation per user at a time, so the count below cannot be raced past the quota
        await tx.query('SELECT pg_advisory_xact_lock(727003, hashtext($1))', [principal.userId]);
        if ((await repo.countOwnedAgents(tx, principal.userId)) >= quotas.agentsPerUser)
          throw errors.quotaExceeded(
            `you own ${quotas.agentsPerUser} agents, the most allowed (NOP_MAX_AGENTS_PER_USER): delete one first`,
          );
        const row = await repo.insertAgent(tx, {
          name: input.name,
          type: input.type,
          ownerId: principal.userId,
          managed: false,
          tokenHash: hashAgentToken(token),
          labels: input.labels,
          location: input.location,
        });
        if (!row) return undefined;
        // the checks it is given become check objects assigned to it; label selectors may add more
        const changed = await checkService.applyAgentChecks(
          tx,
          principal,
          { id: row.id, ownerId: row.owner_id },
          input.checks,
        );
        return { id: row.id, changed };
      });
      if (!created) throw errors.conflict(`an agent named "${input.name}" already exists`);
      await checkService.announce(created.changed.filter((id) => id !== created.id));
      return { row: await mustGet(created.id), token };
    },

    async update(principal: Principal, id: string, change: AgentChange) {
      const current = await mustGet(id);
      assertMayChange(principal, current);
      if (change.checks) {
        assertConfig(current.type, change.checks);
        assertCheckQuota(change.checks, quotas);
      }
      if (change.name && change.name !== current.name && (await repo.findAgentByName(db, change.name)))
        throw errors.conflict(`an agent named "${change.name}" already exists`);
      const changed = await db.transaction(async (tx) => {
        const row = await repo.updateAgent(tx, id, change);
        if (!row) throw errors.notFound(`no agent with id ${id}`);
        if (change.checks)
          return checkService.applyAgentChecks(tx, principal, { id, ownerId: row.owner_id }, change.checks);
        // new labels may bring checks by selector, or take them away
        return change.labels ? checkService.recompile(tx, [id]) : [];
      });
      await checkService.announce(changed);
      return mustGet(id);
    },

    async remove(principal: Principal, id: string) {
      const current = await mustGet(id);
      assertMayChange(principal, current);
      if (current.managed) throw errors.conflict('the managed local agent cannot be deleted; stop it instead');
      await repo.deleteAgent(db, id);
      const envelope: AgentCommandEnvelope = { agentId: id, command: 'revoke' };
      await bus.publish(CHANNELS.agentCommand, envelope);
      return current;
    },

    async act(principal: Principal, id: string, action: AgentAction) {
      const current = await mustGet(id);
      assertMayChange(principal, current);
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
