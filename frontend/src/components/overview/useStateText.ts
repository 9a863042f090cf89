import { describeState, type CheckAggregate, type PairState, type StateText } from '../../lib/checkState.ts';
import { formatTime, useClockChoice } from '../../lib/format.ts';

const clock = (ms: number) => formatTime(ms, { seconds: false });

/** A state in words, its times in the user's clock (re-rendered when that choice changes). */
export function useStateText(state: PairState | CheckAggregate): StateText {
  useClockChoice();
  return describeState(state, clock);
}
