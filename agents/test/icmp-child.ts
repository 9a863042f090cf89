// Run by icmp tests in a child process (often inside a test namespace, often as nobody):
//   node --import tsx agents/test/icmp-child.ts '{"uid":65534,"gid":65534,"family":4,"checks":[…]}'
// It drops privileges first when asked, then prints one JSON line: the socket kind it got (or the
// error opening it) and the results of the checks.
import { type CheckSpecInput, CheckSpec } from '@nop/protocol';
import { closeIcmpSockets, runCheck } from '../src/checks/index.ts';
import { icmpSocket } from '../src/checks/icmp-socket.ts';

interface Job {
  uid?: number;
  gid?: number;
  family?: 4 | 6;
  checks?: CheckSpecInput[];
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
if (job.gid !== undefined) {
  process.setgroups?.([]);
  process.setgid?.(job.gid);
}
if (job.uid !== undefined) process.setuid?.(job.uid);

let kind: string | undefined;
let openError: string | undefined;
try {
  kind = icmpSocket(job.family ?? 4).kind;
} catch (error) {
  openError = (error as Error).message;
}
const results = await Promise.all((job.checks ?? []).map((c) => runCheck(CheckSpec.parse(c))));
closeIcmpSockets();
process.stdout.write(`${JSON.stringify({ kind, openError, results })}\n`);
