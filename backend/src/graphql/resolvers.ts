import { Selector, type StreamedResult } from '@nop/protocol';
import { GraphQLError } from './graphql-js.ts';
import type { Db } from '../db/db.ts';
import { ApiError, parseOr400 } from '../http/errors.ts';
import { decodeCursor, PageQuery, TextCursor, toPage } from '../http/paging.ts';
import type { AgentService } from '../modules/agents/service.ts';
import type { Principal } from '../modules/auth/authenticator.ts';
import { ListQuery } from '../modules/checks/routes.ts';
import { toCheck, type CheckService } from '../modules/checks/service.ts';
import { MetricsQuery, SummaryQuery } from '../modules/metrics/query.ts';
import { aggregateSeries } from '../modules/metrics/repo.ts';
import { summarize } from '../modules/metrics/summary-repo.ts';
import { assertKnownIds } from '../modules/results/filters.ts';
import { latestResults } from '../modules/results/latest-repo.ts';
import { listResults } from '../modules/results/list-repo.ts';
import { LatestQuery, ResultsQuery } from '../modules/results/query.ts';
import { assertStorableText, restQuery, withArgs, type ArgNames } from './args.ts';
import type { ResultFeed } from './live.ts';
import { agentView, CHECK_ROW, checkView, type CheckView } from './views.ts';

/** What every resolver gets: the caller (from the auth guard) and, on a subscription, its socket. */
export interface GraphqlContext {
  principal?: Principal;
  socket?: object;
}

type Args = Record<string, unknown>;

// Each field's arguments by the REST parameter they stand for.
const PAGE: ArgNames = { limit: 'limit', cursor: 'cursor' };
const CHECKS: ArgNames = { type: 'type', label: 'label', agentId: 'agent_id', q: 'q', enabled: 'enabled', ...PAGE };
const PAIR: ArgNames = { checkId: 'check_id', agentId: 'agent_id' };
const RANGE: ArgNames = { ...PAIR, from: 'from', to: 'to' };
const RESULTS: ArgNames = { ...RANGE, status: 'status', ...PAGE };
const METRICS: ArgNames = { ...RANGE, metric: 'metric', step: 'step' };

/** The guard lets no anonymous request reach /graphql; this holds if one ever did. */
function signedIn(ctx: GraphqlContext) {
  if (!ctx.principal) throw new GraphQLError('sign in first', { extensions: { code: 'UNAUTHENTICATED' } });
}

/** One object by id, or null when there is none (GraphQL's "not found"). */
async function orNull<T>(find: () => Promise<T>): Promise<T | null> {
  try {
    return await find();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * Thin: each field parses its arguments with the REST route's schema and calls what that route
 * calls, so the two transports cannot answer differently.
 */
export function createResolvers(deps: { agents: AgentService; checks: CheckService; db: Db; feed: ResultFeed }) {
  const { agents, checks, db, feed } = deps;
  const field =
    <T>(names: ArgNames, answer: (query: Record<string, string>, args: Args) => Promise<T>) =>
    async (_root: unknown, args: Args, ctx: GraphqlContext) => {
      signedIn(ctx);
      assertStorableText(args);
      return withArgs(names, () => answer(restQuery(args, names), args));
    };

  return {
    Query: {
      agents: field(PAGE, async (query) => {
        const q = parseOr400(PageQuery, query, 'query');
        const after = decodeCursor(q.cursor, TextCursor);
        return toPage(await agents.list(q.limit, after?.[0]), q.limit, (row) => [row.name], agentView);
      }),
      agent: field({}, async (_query, args) => orNull(async () => agentView(await agents.get(String(args.id))))),
      checks: field(CHECKS, async (query) => {
        const q = parseOr400(ListQuery, query, 'query');
        const after = decodeCursor(q.cursor, TextCursor);
        const rows = await checks.list(
          {
            type: q.type,
            labels: q.label !== undefined ? parseOr400(Selector, q.label, 'query.label') : undefined,
            agentId: q.agent_id,
            text: q.q,
            enabled: q.enabled === undefined ? undefined : q.enabled === 'true',
          },
          q.limit,
          after?.[0],
        );
        return toPage(rows, q.limit, (row) => [row.id], checkView);
      }),
      check: field({}, async (_query, args) => orNull(async () => checkView(await checks.get(String(args.id))))),
      results: field(RESULTS, async (query) => {
        const q = parseOr400(ResultsQuery, query, 'query');
        await assertKnownIds(db, q.filters);
        return listResults(db, q);
      }),
      latestResults: field(PAIR, async (query) => {
        const q = parseOr400(LatestQuery, query, 'query');
        await assertKnownIds(db, q);
        return latestResults(db, q);
      }),
      metrics: field(METRICS, async (query) => aggregateSeries(db, parseOr400(MetricsQuery, query, 'query'))),
      metricsSummary: field(RANGE, async (query) => {
        const q = parseOr400(SummaryQuery, query, 'query');
        await assertKnownIds(db, q);
        return summarize(db, q);
      }),
    },

    Subscription: {
      results: {
        subscribe: async (_root: unknown, args: Args, ctx: GraphqlContext) => {
          signedIn(ctx);
          assertStorableText(args);
          const filter = await withArgs(PAIR, async () => parseOr400(LatestQuery, restQuery(args, PAIR), 'query'));
          return feed.follow(filter, ctx.socket ?? ctx);
        },
        resolve: (result: StreamedResult) => result,
      },
    },
  };
}

/**
 * Check.agents for every check of an answer in one call of the service (a page of 200 checks is
 * one query, not 200): mercurius batches the loads of one request.
 */
export function createLoaders(checks: CheckService) {
  return {
    Check: {
      agents: async (queries: { obj: CheckView }[]) => {
        const rows = queries.map(({ obj }) => obj[CHECK_ROW]);
        const runners = await checks.runners(rows);
        return rows.map((row) => toCheck(row, runners.get(row.id)).agents);
      },
    },
  };
}
