// Issue 21 end to end with the real axios and socket.io-client: a guest quotes a takeaway cart,
// the staff at the counter (a staff account made with `tiptop create-user --role staff`) watch
// the board over Socket.IO, take a walk-in order paid in cash — a double press makes one order —
// move it through the kitchen and hand it over; an admin reads it all in the audit log.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import axios from 'axios';
import { io } from 'socket.io-client';

import { bearer, connected, createAdmin, next, phone, uniq } from './helpers/clients.mjs';
import { JWT_SECRET, TIPTOP_BIN, startServer } from './helpers/server.mjs';

let server;
let api;
let boss;
let staff;
let dishId;
const sockets = [];

before(async () => {
  server = await startServer({ env: { RATE_LIMIT_MAX: '100000', AUTH_RATE_LIMIT_MAX: '1000' } });
  api = axios.create({ baseURL: `${server.baseUrl}/api/v1`, timeout: 20_000, validateStatus: () => true });
  boss = await createAdmin(server, api);
  const email = `counter.${uniq()}@tiptop.test`;
  execFileSync(TIPTOP_BIN, ['create-user', '--role', 'staff', '--email', email, '--phone', phone(), '--password-stdin',
    '--first-name', 'Kiran'], {
    input: 'counter-shift-2024\n',
    env: { PATH: process.env.PATH, DATABASE_URL: server.env.DATABASE_URL, NODE_ENV: 'test', JWT_SECRET, LOG_LEVEL: 'warn' },
  });
  const login = await api.post('/auth/login', { email, password: 'counter-shift-2024' });
  assert.equal(login.status, 200, JSON.stringify(login.data));
  staff = login.data.data;
  assert.equal(staff.user.role, 'staff');
  const item = await api.post('/admin/menu/items', { name: `Counter Biryani ${uniq()}`, price: 220, category: { main: 'Biryani' } },
    bearer(boss.token));
  assert.equal(item.status, 201, JSON.stringify(item.data));
  dishId = item.data.data._id;
});

after(async () => {
  for (const s of sockets) s.disconnect();
  if (server) await server.stop({ allowFailure: true });
});

test('a guest quotes; the counter takes a walk-in in cash once, live on the board, and the admin audits it', async () => {
  const cart = { orderType: 'takeaway', items: [{ menuItem: dishId, quantity: 2 }] };
  const quote = await api.post('/orders/quote', cart);
  assert.equal(quote.status, 200, JSON.stringify(quote.data));
  assert.equal(quote.data.data.canPlace, true);
  assert.equal(quote.data.data.pricing.deliveryFee, 0);
  assert.equal(quote.data.data.pricing.itemsTotal, 440);
  const bad = await api.post('/orders/quote', { items: [] });
  assert.equal(bad.status, 400);
  assert.equal(bad.data.error.details[0].field, 'items');

  const board = io(server.baseUrl, { auth: { token: staff.token }, reconnection: false });
  sockets.push(board);
  await connected(board);
  const heard = next(board, 'admin:new-order');

  const key = `till-${uniq()}`;
  const body = { ...cart, paymentMethod: 'CASH' };
  const headers = { Authorization: `Bearer ${staff.token}`, 'Idempotency-Key': key };
  // A double press: two requests at once with the same key.
  const [a, b] = await Promise.all([api.post('/admin/orders', body, { headers }), api.post('/admin/orders', body, { headers })]);
  assert.equal(a.status, 201, JSON.stringify(a.data));
  assert.equal(b.status, 201, JSON.stringify(b.data));
  assert.equal(a.data.data._id, b.data.data._id);
  const order = a.data.data;
  assert.equal(order.status, 'confirmed');
  assert.equal(order.paymentStatus, 'paid');
  assert.deepEqual(order.pricing, quote.data.data.pricing);
  const news = await heard;
  assert.equal(news.orderId, order._id);
  assert.equal(news.orderType, 'takeaway');

  for (const status of ['preparing', 'ready', 'delivered']) {
    const moved = await api.put(`/admin/orders/${order._id}`, { status }, bearer(staff.token));
    assert.equal(moved.status, 200, JSON.stringify(moved.data));
  }
  const done = await api.get(`/orders/${order._id}`, bearer(staff.token));
  assert.equal(done.data.data.statusHistory.at(-1).notes, 'collected at counter');

  // What staff cannot do: the menu, the audit log.
  assert.equal((await api.post('/admin/menu/items', { name: 'x', price: 1 }, bearer(staff.token))).status, 403);
  assert.equal((await api.get('/admin/audit', bearer(staff.token))).status, 403);
  const log = await api.get(`/admin/audit?subjectId=${order._id}`, bearer(boss.token));
  assert.equal(log.status, 200, JSON.stringify(log.data));
  assert.deepEqual(log.data.data.map((e) => e.action), ['order.counter']);
  assert.equal(log.data.data[0].actor.role, 'staff');
});
