// The soak version of backend/test/chaos.test.ts: ROUNDS rounds of every fault (a replica SIGKILLed,
// PostgreSQL stopped, Redis stopped, an agent SIGKILLed), each outage OUTAGE_S seconds, then the
// same exact counts: results the agents made = rows stored, duplicates, holes, status problems.
//   npx tsx scripts/soak/chaos.ts [rounds=5] [outage_s=30] [down_s=10] [settle_s=10]
// Starts its own PostgreSQL (initdb; as root it runs it as the postgres user) and Redis on free
// loopback ports, two backend replicas and two real agents. Exit code 1 when any count is off.
import { runChaos } from '../../backend/test/helpers/chaos-scenario.ts';

const [rounds = 5, outageS = 30, downS = 10, settleS = 10] = process.argv.slice(2).map(Number);
const report = await runChaos({
  rounds,
  outageMs: outageS * 1000,
  downMs: downS * 1000,
  settleMs: settleS * 1000,
  log: (line) => console.log(line),
});

console.log(`\n${rounds} rounds in ${(report.durationMs / 1000).toFixed(0)} s`);
console.log('agent    check   made  stored');
let wrong = 0;
for (const s of report.series) {
  const ok = s.madeIsLowerBound ? s.stored >= s.made : s.stored === s.made;
  if (!ok) wrong++;
  console.log(
    `${s.agent.padEnd(8)} ${s.check.padEnd(7)} ${String(s.made).padStart(5)}${s.madeIsLowerBound ? '+' : ' '} ${String(s.stored).padStart(6)} ${ok ? '' : '  WRONG'}`,
  );
}
console.log('(+ : the agent was killed; what it made between its last counter read and the kill is judged by holes)');
console.log(
  `backlog drained after each fault: ${report.drains.map((d) => `${(d.ms / 1000).toFixed(1)} s`).join(', ')}`,
);
console.log(`duplicate ids ${report.duplicateIds}, duplicate runs ${report.duplicateRuns}`);
console.log(
  `holes ${report.holes.length}${report.holes.length ? `: ${JSON.stringify(report.holes.slice(0, 10))}` : ''}`,
);
console.log(`status problems ${report.statusProblems.length}`);
for (const line of report.statusProblems.slice(0, 20)) console.log(`  ${line}`);
const failed = wrong + report.duplicateIds + report.duplicateRuns + report.holes.length + report.statusProblems.length;
process.exit(failed ? 1 : 0);
