import type { Agent, StreamedResult } from '@nop/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNow } from '../lib/clock.ts';
import { checkKey } from '../lib/liveSeries.ts';
import {
  checksFromAgents,
  createRowBuilder,
  fromCheckObject,
  type OverviewAgent,
  type OverviewCheck,
} from '../lib/overviewModel.ts';
import { byCheckName } from '../lib/overviewView.ts';
import { useLive } from '../store/live.ts';
import { useAgents } from './useAgents.ts';
import { CHECKS_KEY, useChecks, useLatestResults } from './useChecks.ts';

/** Staleness is judged against this clock: finer would rebuild every row more often for no visible gain. */
const TICK_MS = 5_000;

/**
 * Everything the overview shows, as rows: check objects (or, until they load, the agents'
 * configs), the latest results snapshot, the stream's newer results and the agents' live status.
 * Rows nothing changed in keep their object, so memoised rows skip re-rendering.
 */
export function useOverview() {
  const agentsQuery = useAgents();
  const checksQuery = useChecks();
  const latestQuery = useLatestResults();
  const live = useLive((s) => s.checks);
  const connection = useLive((s) => s.connection);
  const downSince = useLive((s) => s.downSince);
  const now = useNow(TICK_MS);

  const agents = agentsQuery.data;
  const checks = useOverviewChecks(checksQuery.data, agents);
  const agentMap = useMemo(() => new Map<string, OverviewAgent>((agents ?? []).map((a) => [a.id, a])), [agents]);
  const latest = useMemo(() => {
    const map = new Map<string, StreamedResult>();
    for (const item of latestQuery.data?.items ?? [])
      if (item.result) map.set(checkKey(item.agentId, item.checkId), item.result);
    return map;
  }, [latestQuery.data]);

  const [build] = useState(createRowBuilder);
  const rows = useMemo(
    () => build({ checks, agents: agentMap, latest, live, stream: { connection, downSince }, nowMs: now }),
    [build, checks, agentMap, latest, live, connection, downSince, now],
  );

  // only once the objects are in: a refetch must not restart the first, long load
  useRefetchOnUnknownChecks(checks, live, checksQuery.isSuccess && checksQuery.data !== null);

  // The agents' configs stand in for the check objects while those load (useOverviewChecks).
  const loading = agentsQuery.isPending || latestQuery.isPending;
  useDataMark(!loading, Math.max(agentsQuery.dataUpdatedAt, latestQuery.dataUpdatedAt));

  return {
    rows,
    checks,
    agents,
    loading,
    error: agentsQuery.error ?? checksQuery.error ?? latestQuery.error,
    /** true while the check objects (labels, disabled and unassigned checks) are still loading */
    loadingDetails: checksQuery.isPending,
    agentsQuery,
    retry: () => {
      void agentsQuery.refetch();
      void checksQuery.refetch();
      void latestQuery.refetch();
    },
    truncated: latestQuery.data?.truncated ?? false,
  };
}

/**
 * The checks to show: the check objects once loaded; until then (and when the backend has no checks
 * API) the agents' compiled configs, which hold every check an agent runs with its interval, so the
 * overview is complete and judged right at once. Only labels, disabled and unassigned checks wait
 * for the objects: with 2,000 checks their ten pages take seconds, the agents list one request.
 * Memoised on the configs' versions, because the agent list itself changes with every status and
 * last-seen update.
 */
function useOverviewChecks(
  objects: ReturnType<typeof useChecks>['data'],
  agents: Agent[] | undefined,
): OverviewCheck[] {
  // In name order once here, so sorting rows on every batch of results needs no text comparisons.
  const fromObjects = useMemo(() => (objects ? byCheckName(objects.map(fromCheckObject)) : null), [objects]);
  const configKey = objects ? '' : (agents ?? []).map((a) => `${a.id}:${a.name}:${a.config.version}`).join(',');
  const fromAgents = useMemo(
    () => (objects ? [] : byCheckName(checksFromAgents(agents ?? []))),
    // configKey stands for the agents' configs: status updates must not rebuild every check
    [objects, configKey],
  );
  return fromObjects ?? fromAgents;
}

/** A result for a check not in the list means someone created it meanwhile: refetch, at most every 10 s. */
function useRefetchOnUnknownChecks(checks: OverviewCheck[], live: Record<string, unknown>, enabled: boolean) {
  const qc = useQueryClient();
  const last = useRef(0);
  const known = useMemo(() => new Set(checks.map((c) => c.id)), [checks]);
  useEffect(() => {
    if (!enabled || Date.now() - last.current < 10_000) return;
    for (const key of Object.keys(live)) {
      if (!known.has(key.slice(key.indexOf('/') + 1))) {
        last.current = Date.now();
        void qc.invalidateQueries({ queryKey: CHECKS_KEY }, { cancelRefetch: false });
        return;
      }
    }
  }, [live, known, enabled, qc]);
}

/**
 * Marks when the overview's data first arrived (a User Timing mark, visible in the browser's
 * performance tools; the scale test measures from it to the rendered rows).
 */
function useDataMark(ready: boolean, arrivedAt: number) {
  const marked = useRef(false);
  useEffect(() => {
    if (!ready || marked.current) return;
    marked.current = true;
    performance.mark('nop:overview-data', { startTime: Math.max(0, arrivedAt - performance.timeOrigin) });
  }, [ready, arrivedAt]);
}
