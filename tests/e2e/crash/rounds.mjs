// Crash rounds: customers place orders concurrently, each request with its own Idempotency-Key,
// and the server is killed with SIGKILL at a random moment. After the restart, every order that
// was answered 201 must be there and whole; every request, answered or not, retried with its key
// must give one order, the same one each time (the acknowledged ones: the very order answered);
// and the database itself must pass its integrity check (`tiptop check-db`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import axios from 'axios';

import { bearer, createAdmin, phone, uniq } from '../helpers/clients.mjs';
import { JWT_SECRET, TIPTOP_BIN, restartServer, startServer } from '../helpers/server.mjs';

const CLIENTS = 12;

function client(server) {
  // No keep-alive: a killed server must not leave requests queued on a dead socket for long.
  return axios.create({ baseURL: `${server.baseUrl}/api/v1`, timeout: 15_000, validateStatus: () => true });
}

async function signUp(api) {
  const res = await api.post('/auth/register', {
    email: `crash.${uniq()}@example.test`, phone: phone(), password: `Cr-${uniq()}-Pw!`, firstName: 'Crash',
  });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return res.data.data;
}

function cart(menuItems, n) {
  // 1 to 3 lines, so a half-written order (lines missing) would show.
  const lines = [];
  for (let i = 0; i <= n % 3; i++) lines.push({ menuItem: menuItems[(n + i) % menuItems.length], quantity: 1 + ((n + i) % 4) });
  return {
    items: lines,
    deliveryAddress: { street: `${n} Brigade Road`, city: 'Bengaluru', coordinates: [77.607, 12.972] },
    paymentMethod: 'COD',
  };
}

export async function prepare({ env = {} } = {}) {
  const server = await startServer({
    env: { RATE_LIMIT_MAX: '1000000', AUTH_RATE_LIMIT_MAX: '1000', ...env },
  });
  const api = client(server);
  const boss = await createAdmin(server, api);
  const menuItems = [];
  for (const [name, price] of [['Crash Biryani', 249.5], ['Crash Tikka', 180], ['Crash Noodles', 150.25]]) {
    const res = await api.post('/admin/menu/items', { name: `${name} ${uniq()}`, price, category: { main: 'Biryani' } }, bearer(boss.token));
    assert.equal(res.status, 201, JSON.stringify(res.data));
    menuItems.push(res.data.data._id);
  }
  const customers = [];
  for (let i = 0; i < CLIENTS; i++) customers.push(await signUp(api));
  return { server, boss, menuItems, customers, placed: [] };
}

// One round: load, SIGKILL after `killAfterMs`, restart, check. Returns the round's figures.
export async function round(state, { killAfterMs }) {
  let { server } = state;
  const api = client(server);
  const attempts = [];
  let stop = false;
  const load = state.customers.map(async (c, k) => {
    for (let n = 0; !stop; n++) {
      const attempt = { key: crypto.randomUUID(), body: cart(state.menuItems, k + n), token: c.token, customer: c.user._id };
      attempts.push(attempt);
      try {
        const res = await api.post('/orders', attempt.body, { headers: { Authorization: `Bearer ${c.token}`, 'Idempotency-Key': attempt.key } });
        attempt.status = res.status;
        if (res.status === 201) attempt.order = res.data.data;
        else if (res.status < 500) throw new Error(`order refused before the crash: ${res.status} ${JSON.stringify(res.data)}`);
      } catch (err) {
        if (err.message.startsWith('order refused')) throw err;
        attempt.status = 'no answer'; // the connection died with the server
        return;
      }
    }
  });
  await sleep(killAfterMs);
  server = await restartServer(server, { signal: 'SIGKILL', between: async () => { stop = true; await Promise.allSettled(load); } });
  state.server = server;
  for (const r of await Promise.allSettled(load)) if (r.status === 'rejected') throw r.reason;
  stop = true;

  const after = client(server);
  const acknowledged = attempts.filter((a) => a.status === 201);
  const unanswered = attempts.filter((a) => a.status !== 201);
  // Every acknowledged order is there, whole, as it was answered.
  for (const a of acknowledged) {
    const res = await after.get(`/orders/${a.order._id}`, bearer(a.token));
    assert.equal(res.status, 200, `order ${a.order._id} answered 201 before the crash is gone: ${JSON.stringify(res.data)}`);
    const o = res.data.data;
    assert.equal(o.orderNumber, a.order.orderNumber);
    assert.equal(o.items.length, a.body.items.length, `order ${o.orderNumber} is missing lines`);
    assert.deepEqual(o.pricing, a.order.pricing);
    assert.equal(o.status, 'pending');
  }
  // Every request retried with its key: the acknowledged ones replay their order; the unanswered
  // ones give one order (committed before the crash or made now), the same on a second retry.
  let recovered = 0;
  for (const a of [...acknowledged, ...unanswered]) {
    const retry = () => after.post('/orders', a.body, { headers: { Authorization: `Bearer ${a.token}`, 'Idempotency-Key': a.key } });
    const first = await retry();
    assert.ok(first.status === 201 || first.status === 200, `retry of ${a.key}: ${first.status} ${JSON.stringify(first.data)}`);
    if (a.order) assert.equal(first.data.data._id, a.order._id, 'a retried key made a second order');
    else {
      const second = await retry();
      assert.equal(second.data.data._id, first.data.data._id, 'an unanswered key made two orders');
      recovered++;
    }
    a.order ??= first.data.data;
    state.placed.push(a);
  }
  // Nothing half-made or duplicated: each customer holds exactly the orders of their keys.
  const byCustomer = new Map();
  for (const a of state.placed) byCustomer.set(a.token, (byCustomer.get(a.token) ?? new Set()).add(a.order._id));
  for (const [token, ids] of byCustomer) {
    const list = await after.get('/orders?limit=100&page=1', bearer(token));
    assert.equal(list.status, 200, JSON.stringify(list.data));
    assert.equal(list.data.meta.pagination.total, ids.size, 'a customer has orders no key accounts for');
  }
  checkDatabase(server);
  return { attempts: attempts.length, acknowledged: acknowledged.length, unanswered: unanswered.length, recovered };
}

export function checkDatabase(server) {
  const out = execFileSync(TIPTOP_BIN, ['check-db'], {
    env: { PATH: process.env.PATH, DATABASE_URL: server.env.DATABASE_URL, NODE_ENV: 'test', JWT_SECRET, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  assert.match(out, /^database ok/m, out);
}
