import { describe, expect, it } from 'vitest';
import { parseNetDev } from './interface-counters.ts';

const SAMPLE = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 27992522   56900    0    0    0     0          0         0 27992522   56900    0    0    0     0       0          0
  eth0: 1198934308   34307    3    4    0     0          0         0  3412902   23782    5    6    0     0       0          0
veth-long-name0:12 1 0 0 0 0 0 0 34 2 0 0 0 0 0 0
`;

describe('parseNetDev', () => {
  it('reads both directions of every interface, names with or without a space after the colon', () => {
    const parsed = parseNetDev(SAMPLE);
    expect(parsed.map((i) => i.name)).toEqual(['lo', 'eth0', 'veth-long-name0']);
    expect(parsed[1]).toEqual({
      name: 'eth0',
      rxBytes: 1198934308,
      rxPackets: 34307,
      rxErrors: 3,
      rxDrops: 4,
      txBytes: 3412902,
      txPackets: 23782,
      txErrors: 5,
      txDrops: 6,
    });
    expect(parsed[2]).toMatchObject({ rxBytes: 12, rxPackets: 1, txBytes: 34, txPackets: 2 });
  });

  it('skips malformed lines', () => {
    expect(parseNetDev('h1\nh2\n  eth0: 1 2 three\nbogus line\n')).toEqual([]);
  });
});
