import type { StreamedResult } from '@nop/protocol';
import { GraphQLError } from './graphql-js.ts';
import { CHANNELS, type Bus } from '../bus/bus.ts';

/** Results a subscriber may have waiting before it is ended as too slow (it subscribes again). */
const MAX_QUEUED = 1000;
/** Subscriptions one socket may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

export interface ResultFilter {
  checkId?: string;
  agentId?: string;
}

export type ResultFeed = Awaited<ReturnType<typeof createResultFeed>>;

const tooMany = () =>
  new GraphQLError(`at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection`, {
    extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED' },
  });
const tooSlow = () =>
  new GraphQLError(`more than ${MAX_QUEUED} results waited for this connection: subscribe again`, {
    extensions: { code: 'TOO_SLOW' },
  });

/**
 * Results as they are committed (the bus's `results` channel, from every replica), for GraphQL
 * subscriptions: one bus subscription for the whole process, filtered here per subscriber, so a
 * subscriber only ever receives what it asked for.
 */
export async function createResultFeed(bus: Bus) {
  const listeners = new Set<(result: StreamedResult) => void>();
  const held = new Map<object, number>();
  const unsubscribe = await bus.subscribe(CHANNELS.results, (message) => {
    for (const listener of listeners) listener(message as StreamedResult);
  });

  /** The matching results from now on, as an async iterator (what graphql-js subscribes to). */
  function follow(filter: ResultFilter, owner: object): AsyncIterableIterator<StreamedResult> {
    const count = held.get(owner) ?? 0;
    if (count >= MAX_SUBSCRIPTIONS_PER_SOCKET) throw tooMany();
    held.set(owner, count + 1);

    const queue: StreamedResult[] = [];
    let waiting: ((next: IteratorResult<StreamedResult>) => void) | undefined;
    let failure: GraphQLError | undefined;
    let ended = false;

    const listener = (result: StreamedResult) => {
      if (
        (filter.checkId && result.checkId !== filter.checkId) ||
        (filter.agentId && result.agentId !== filter.agentId)
      )
        return;
      if (waiting) {
        const wake = waiting;
        waiting = undefined;
        wake({ value: result, done: false });
      } else if (queue.length < MAX_QUEUED) queue.push(result);
      else {
        failure = tooSlow();
        end();
      }
    };
    const end = () => {
      if (ended) return;
      ended = true;
      listeners.delete(listener);
      queue.length = 0;
      const left = (held.get(owner) ?? 1) - 1;
      if (left > 0) held.set(owner, left);
      else held.delete(owner);
    };
    listeners.add(listener);

    const done = (): IteratorResult<StreamedResult> => ({ value: undefined, done: true });
    return {
      next() {
        if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
        if (failure) {
          const error = failure;
          failure = undefined;
          return Promise.reject(error);
        }
        if (ended) return Promise.resolve(done());
        return new Promise((resolve) => (waiting = resolve));
      },
      return() {
        end();
        waiting?.(done());
        waiting = undefined;
        return Promise.resolve(done());
      },
      throw(error: unknown) {
        end();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  return {
    follow,
    close() {
      unsubscribe();
      listeners.clear();
    },
  };
}
