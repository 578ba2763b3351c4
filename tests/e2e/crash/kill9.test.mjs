// kill -9 under concurrent order load (see rounds.mjs): three rounds on SQLite, one on
// PostgreSQL (when the suite runs there). scripts/crash-rounds.sh runs 50 and reports.
import { after, test } from 'node:test';

import { prepare, round } from './rounds.mjs';

const onPostgres = (process.env.TIPTOP_E2E_DATABASE_URL ?? '').startsWith('postgres');
const ROUNDS = onPostgres ? 1 : 3;
let state;

after(async () => {
  if (state?.server) await state.server.stop({ allowFailure: true });
});

test(`SIGKILL during order placement, ${ROUNDS} round(s): nothing acknowledged is lost, no key makes two orders, the database is sound`, async (t) => {
  state = await prepare();
  for (let i = 1; i <= ROUNDS; i++) {
    const figures = await round(state, { killAfterMs: 300 + ((i * 377) % 900) });
    t.diagnostic(`round ${i}: ${JSON.stringify(figures)}`);
    if (figures.acknowledged === 0) throw new Error(`round ${i} killed the server before any order was answered: the round tested nothing`);
  }
});
