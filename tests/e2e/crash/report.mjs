// node crash/report.mjs ROUNDS: many crash rounds on one database, a line per round and a summary.
// Used by scripts/crash-rounds.sh; stops at the first round whose checks fail.
import { prepare, round } from './rounds.mjs';

const rounds = Number(process.argv[2] ?? 50);
const state = await prepare();
const total = { attempts: 0, acknowledged: 0, unanswered: 0, recovered: 0 };
const started = Date.now();
let failed = null;
try {
  for (let i = 1; i <= rounds; i++) {
    const killAfterMs = 200 + Math.floor(Math.random() * 1500);
    const f = await round(state, { killAfterMs });
    for (const k of Object.keys(total)) total[k] += f[k];
    console.log(`round ${String(i).padStart(2)}: killed after ${killAfterMs} ms; ${f.attempts} requests, ${f.acknowledged} answered 201, ${f.unanswered} unanswered (${f.recovered} retried to one order each); checks ok`);
  }
} catch (err) {
  failed = err;
} finally {
  await state.server.stop({ allowFailure: true });
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (failed) {
  console.log(`FAILED after ${seconds} s: ${failed.stack ?? failed}`);
  process.exit(1);
}
console.log(`${rounds} rounds in ${seconds} s: ${total.attempts} requests, ${total.acknowledged} acknowledged orders all present and whole, ` +
  `${total.unanswered} unanswered requests each retried to exactly one order, no duplicate, database integrity ok after every round`);
