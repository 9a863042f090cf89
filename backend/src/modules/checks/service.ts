import {
  formatSelector,
  maskCheckSecrets,
  selectorMatches,
  RESERVED_CHECK_IDS,
  suggestCheckId,
  uniqueCheckId,
  type AgentType,
  type CheckSpec,
} from '@nop/protocol';
import { CHANNELS, type Bus } from '../../bus/bus.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { errors, type FieldError } from '../../http/errors.ts';
import type { SecretCipher } from '../../secrets/cipher.ts';
import { sealChecks } from '../../secrets/check-secrets.ts';
import type { Principal } from '../auth/authenticator.ts';
import {
  mergeSpecPatch,
  parseCheckId,
  parseMeta,
  parseMetaPatch,
  parseSpec,
  splitCheckBody,
  type CheckMetaValues,
} from './body.ts';
import { agentsTouchedBy, lockCompilation, recompileAgents } from './compile.ts';
import * as repo from './repo.ts';

export type CheckService = ReturnType<typeof createCheckService>;

export interface CheckSettings {
  /** NOP_MIN_CHECK_INTERVAL in ms */
  minIntervalMs: number;
  /** NOP_MAX_CHECKS_PER_AGENT */
  checksPerAgent: number;
}

/** The agent family a check type belongs to (a `ping` agent runs icmp checks only). */
const runsType = (agentType: AgentType, checkType: string) =>
  agentType === 'multi' || (agentType === 'ping' ? 'icmp' : agentType) === checkType;

function assertMayChange(principal: Principal, row: repo.CheckRow) {
  if (principal.role !== 'admin' && row.owner_id !== principal.userId)
    throw errors.forbidden(`only the owner of check "${row.id}" or an admin may change it`);
}

export function createCheckService(db: Db, bus: Bus, cipher: SecretCipher, settings: CheckSettings) {
  /** The server's own floor (NOP_MIN_CHECK_INTERVAL), above the protocol's. */
  const intervalProblem = (spec: CheckSpec, path: string): FieldError[] =>
    spec.interval < settings.minIntervalMs
      ? [
          {
            path: `${path}.interval`,
            message: `must be at least ${settings.minIntervalMs / 1000} s on this server (NOP_MIN_CHECK_INTERVAL)`,
          },
        ]
      : [];
  function assertInterval(spec: CheckSpec) {
    const problems = intervalProblem(spec, 'body');
    if (problems.length) throw errors.invalidFields(problems);
  }

  /** Agents named by id must exist, run the check's type, and (for editors) be theirs. */
  async function assertAssignable(tx: Queryable, principal: Principal, spec: CheckSpec, agentIds: string[]) {
    if (!agentIds.length) return;
    const { rows } = await tx.query<{ id: string; name: string; type: AgentType; owner_id: string | null }>(
      'SELECT id, name, type, owner_id FROM agents WHERE id = ANY($1::uuid[])',
      [agentIds],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const problems: FieldError[] = [];
    agentIds.forEach((id, i) => {
      const agent = byId.get(id);
      const path = `body.agentIds[${i}]`;
      if (!agent) problems.push({ path, message: `no agent with id ${id}` });
      else if (!runsType(agent.type, spec.type))
        problems.push({
          path,
          message: `agent "${agent.name}" is a ${agent.type} agent and cannot run ${spec.type} checks`,
        });
      else if (principal.role !== 'admin' && agent.owner_id !== principal.userId)
        throw errors.forbidden(`${path}: only the owner of agent "${agent.name}" or an admin may assign checks to it`);
    });
    if (problems.length) throw errors.invalidFields(problems);
  }

  /** After the writes of one change: rebuild the touched agents' configs, inside the quota. */
  async function recompile(tx: Queryable, agentIds: string[]) {
    const changed = await recompileAgents(tx, [...new Set(agentIds)]);
    const over = changed.find((agent) => agent.checks > settings.checksPerAgent);
    if (over)
      throw errors.quotaExceeded(
        `agent ${over.id} would run ${over.checks} checks, but an agent may run at most ${settings.checksPerAgent} (NOP_MAX_CHECKS_PER_AGENT)`,
      );
    return changed.map((agent) => agent.id);
  }

  /** Tells the replicas holding the changed agents' links (after commit: never a config that rolled back). */
  const announce = async (agentIds: string[], checkId?: string) => {
    await Promise.all(agentIds.map((agentId) => bus.publish(CHANNELS.agentConfig, { agentId })));
    if (checkId) await bus.publish(CHANNELS.checks, { id: checkId });
  };

  async function mustGet(id: string) {
    const row = await repo.getCheck(db, id);
    if (!row) throw errors.notFound(`no check with id ${id.slice(0, 100)}`);
    return row;
  }

  function refuseReservedId(id: string, path: string) {
    if (RESERVED_CHECK_IDS.has(id))
      throw errors.invalidFields([{ path, message: `"${id}" is reserved (the dashboard's page for a new check)` }]);
  }

  /** A readable id from the type and target, made unique with -2, -3… */
  async function newId(tx: Queryable, spec: Record<string, unknown>) {
    if (typeof spec.type !== 'string' || typeof spec.target !== 'string' || !spec.target.trim()) return undefined;
    const base = suggestCheckId(spec.type as CheckSpec['type'], spec.target);
    return uniqueCheckId(base, await repo.idsLike(tx, base));
  }

  /** Creates (or, with `mode: 'update'`, rewrites) a check and recompiles the agents it touches. */
  async function write(
    tx: Queryable,
    principal: Principal,
    spec: CheckSpec,
    meta: CheckMetaValues,
    current?: repo.CheckRow,
  ) {
    if (!current) refuseReservedId(spec.id, 'body.id');
    await assertAssignable(tx, principal, spec, meta.agentIds);
    const write: repo.CheckWrite = { spec, ...meta };
    if (current) await repo.updateCheck(tx, write);
    else if (!(await repo.insertCheck(tx, write, principal.userId)))
      throw errors.conflict(`a check with id "${spec.id}" already exists`);
    const touched = await agentsTouchedBy(tx, spec.id, [meta.selector, current?.selector ?? {}], meta.agentIds);
    return recompile(tx, touched);
  }

  const metaOf = (row: repo.CheckRow): CheckMetaValues => ({
    labels: row.labels,
    enabled: row.enabled,
    agentIds: row.agent_ids,
    selector: row.selector,
  });

  async function update(
    principal: Principal,
    id: string,
    change: (row: repo.CheckRow) => {
      spec: CheckSpec;
      meta: CheckMetaValues;
    },
  ) {
    const current = await mustGet(id);
    assertMayChange(principal, current);
    const { spec, meta } = change(current);
    assertInterval(spec);
    const sealed = sealChecks([spec], [current.spec], cipher, () => 'body')[0]!;
    const changed = await db.transaction(async (tx) => {
      await lockCompilation(tx);
      return write(tx, principal, sealed, meta, current);
    });
    await announce(changed, id);
    return mustGet(id);
  }

  return {
    get: mustGet,

    list: (filter: repo.CheckFilter, limit: number, afterId?: string) => repo.listChecks(db, filter, limit, afterId),

    /** The agents running each check now, with how each was chosen. */
    async runners(rows: repo.CheckRow[]) {
      const found = await repo.runnersOf(
        db,
        rows.map((row) => row.id),
      );
      const byCheck = new Map<string, typeof found>();
      for (const runner of found) byCheck.set(runner.check_id, [...(byCheck.get(runner.check_id) ?? []), runner]);
      return byCheck;
    },

    async create(principal: Principal, body: unknown) {
      const parts = splitCheckBody(body);
      const meta = parseMeta(parts.meta);
      if (parts.spec.id === undefined) parts.spec.id = await newId(db, parts.spec);
      const spec = parseSpec(parts.spec);
      assertInterval(spec);
      const sealed = sealChecks([spec], [], cipher, () => 'body')[0]!;
      const changed = await db.transaction(async (tx) => {
        await lockCompilation(tx);
        return write(tx, principal, sealed, meta);
      });
      await announce(changed, spec.id);
      return mustGet(spec.id);
    },

    update: (principal: Principal, id: string, body: unknown) =>
      update(principal, id, (current) => {
        const parts = splitCheckBody(body);
        return {
          spec: parseSpec(mergeSpecPatch(current.spec, parts.spec)),
          meta: parseMetaPatch(parts.meta, metaOf(current)),
        };
      }),

    setEnabled: (principal: Principal, id: string, enabled: boolean) =>
      update(principal, id, (current) => ({
        spec: parseSpec(maskCheckSecrets(current.spec) as Record<string, unknown>),
        meta: { ...metaOf(current), enabled },
      })),

    async clone(principal: Principal, id: string, wantedId?: string) {
      const source = await mustGet(id);
      const cloneId = wantedId !== undefined ? parseCheckId(wantedId, 'body.id') : await newId(db, source.spec);
      const spec = { ...source.spec, id: cloneId! };
      // agents the cloner may not assign to are left out; the selector is kept (it reaches only
      // agents the new owner may use)
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM agents WHERE id = ANY($1::uuid[]) AND ($2::boolean OR owner_id = $3::uuid)`,
        [source.agent_ids, principal.role === 'admin', principal.userId],
      );
      const meta = { ...metaOf(source), agentIds: rows.map((r) => r.id) };
      const changed = await db.transaction(async (tx) => {
        await lockCompilation(tx);
        return write(tx, principal, spec, meta);
      });
      await announce(changed, cloneId);
      return mustGet(cloneId!);
    },

    async remove(principal: Principal, id: string) {
      const current = await mustGet(id);
      assertMayChange(principal, current);
      const changed = await db.transaction(async (tx) => {
        await lockCompilation(tx);
        const touched = await agentsTouchedBy(tx, id, [current.selector], []);
        await repo.deleteCheck(tx, id);
        return recompile(tx, touched);
      });
      await announce(changed, id);
      return current;
    },

    /**
     * The agents API's `config.checks` (the seed's contract): each check is created (or, if the
     * caller may change it, updated) and assigned to the agent by id; checks the agent was
     * assigned by id before but not now are unassigned, and deleted when that leaves them running
     * nowhere. Runs inside the caller's transaction; returns the agents whose config changed.
     */
    async applyAgentChecks(
      tx: Queryable,
      principal: Principal | null,
      agent: { id: string; ownerId: string | null },
      checks: CheckSpec[],
      where = 'body.config.checks',
    ) {
      await lockCompilation(tx);
      const problems = checks.flatMap((spec, i) => intervalProblem(spec, `${where}[${i}]`));
      if (problems.length) throw errors.invalidFields(problems);
      const existing = new Map(
        (
          await repo.getChecks(
            tx,
            checks.map((c) => c.id),
          )
        ).map((row) => [row.id, row]),
      );
      const sealed = sealChecks(
        checks,
        [...existing.values()].map((row) => row.spec),
        cipher,
        (i) => `${where}[${i}]`,
      );
      const touched = new Set<string>([agent.id]);
      for (const [i, spec] of sealed.entries()) {
        const row = existing.get(spec.id);
        if (!row) {
          refuseReservedId(spec.id, `${where}[${i}].id`);
          await repo.insertCheck(
            tx,
            { spec, labels: {}, selector: {}, enabled: true, agentIds: [agent.id] },
            principal?.userId ?? agent.ownerId,
          );
          continue;
        }
        if (JSON.stringify(row.spec) !== JSON.stringify(spec)) {
          if (principal && principal.role !== 'admin' && row.owner_id !== principal.userId)
            throw errors.forbidden(
              `${where}[${i}].id: check "${spec.id}" belongs to another user; use its id unchanged or pick another id`,
            );
          await repo.updateCheck(tx, { spec, ...metaOf(row), agentIds: [...new Set([...row.agent_ids, agent.id])] });
          for (const id of await agentsTouchedBy(tx, spec.id, [row.selector], [])) touched.add(id);
        } else await repo.assign(tx, spec.id, agent.id);
      }
      const dropped = await tx.query<{ check_id: string }>(
        `DELETE FROM check_assignments WHERE agent_id = $1 AND NOT (check_id = ANY($2::text[])) RETURNING check_id`,
        [agent.id, checks.map((c) => c.id)],
      );
      // a check this call leaves running nowhere was this agent's alone: it goes, as it did before
      // checks were objects
      await tx.query(
        `DELETE FROM checks c WHERE c.id = ANY($1::text[]) AND c.selector = '{}'::jsonb
           AND NOT EXISTS (SELECT 1 FROM check_assignments x WHERE x.check_id = c.id)`,
        [dropped.rows.map((r) => r.check_id)],
      );
      return recompile(tx, [...touched]);
    },

    announce,
    /** Rebuilds these agents' configs (after their labels changed), inside the caller's transaction. */
    async recompile(tx: Queryable, agentIds: string[]) {
      await lockCompilation(tx);
      return recompile(tx, agentIds);
    },
  };
}

const viaOf = (byId: boolean, bySelector: boolean) =>
  byId && bySelector ? ('both' as const) : byId ? ('id' as const) : ('selector' as const);

/** The check as the API answers it: the spec with secrets masked, beside its labels and assignment. */
export function toCheck(row: repo.CheckRow, runners: repo.Runner[] = []) {
  const selectorText = formatSelector(row.selector);
  return {
    ...maskCheckSecrets(row.spec),
    labels: row.labels,
    enabled: row.enabled,
    agentIds: row.agent_ids,
    selector: selectorText,
    agents: runners.map((runner) => ({
      id: runner.id,
      name: runner.name,
      status: runner.status,
      via: viaOf(row.agent_ids.includes(runner.id), selectorMatches(row.selector, runner.labels)),
    })),
    ownerId: row.owner_id,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
