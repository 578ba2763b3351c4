// Two `tiptop serve` nodes on one PostgreSQL and one Redis behind nginx (deploy/nginx.conf), as
// production runs them — driven by the real axios and socket.io-client through nginx only.
// nginx sends REST requests to the least busy node (in turn, when they come one at a time) and
// keeps each Socket.IO client on one node (ip_hash). Which node served what is read from the
// nodes' own /metrics, so every claim below names the node it relied on.
//
// Run by the test command as a step of its own (not matched by `npm test`):
//   TIPTOP_E2E_DATABASE_URL=postgres://… TIPTOP_E2E_REDIS_URL=redis://… node --test multinode/two-nodes.mjs
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import axios from 'axios';
import { io } from 'socket.io-client';

import { bearer, connected, createAdmin, next, phone, uniq } from '../helpers/clients.mjs';
import { startNginx } from '../helpers/nginx.mjs';
import { startServer } from '../helpers/server.mjs';

const databaseUrl = process.env.TIPTOP_E2E_DATABASE_URL;
const redisUrl = process.env.TIPTOP_E2E_REDIS_URL;
assert.ok(databaseUrl?.startsWith('postgres'), 'TIPTOP_E2E_DATABASE_URL must name a PostgreSQL database');
assert.ok(redisUrl, 'TIPTOP_E2E_REDIS_URL must name a Redis');

const env = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  TRUST_PROXY: '127.0.0.1',  // nginx: the client's own address comes in X-Forwarded-For
  RATE_LIMIT_MAX: '100000',
  AUTH_RATE_LIMIT_MAX: '3',
};

let nodes;
let proxy;
let api;
const sockets = [];

async function metrics(node) {
  const res = await axios.get(`${node.baseUrl}/metrics`, { validateStatus: () => true });
  assert.equal(res.status, 200, 'the nodes answer /metrics on loopback');
  return res.data.split('\n');
}

// Requests each node has answered for one route: [first node, second node].
async function served(method, route) {
  return Promise.all(nodes.map(async (node) => {
    let n = 0;
    for (const line of await metrics(node))
      if (line.startsWith(`tiptop_http_requests_total{method="${method}",route="${route}",`)) n += Number(line.split(' ').at(-1));
    return n;
  }));
}

async function sockets_on(node) {
  const line = (await metrics(node)).find((l) => l.startsWith('tiptop_socketio_connections '));
  return Number(line.split(' ')[1]);
}

const grew = (before, after) => after.map((n, i) => n - before[i]);

before(async () => {
  nodes = [await startServer({ env }), await startServer({ env })];
  proxy = await startNginx({ upstreams: nodes.map((n) => n.port) });
  api = axios.create({ baseURL: `${proxy.baseUrl}/api/v1`, timeout: 20_000, validateStatus: () => true });
});

after(async () => {
  for (const s of sockets) s.disconnect();
  await proxy?.stop();
  for (const n of nodes ?? []) await n.stop();
});

describe('two nodes behind nginx', () => {
  test('a token from one node works on the other; an order\'s status changes reach the customer\'s socket on the other node', async () => {
    const account = { email: `mn.${uniq()}@example.test`, phone: phone(), password: `Mn-${uniq()}-Pw!`, firstName: 'Asha' };
    const registered = await api.post('/auth/register', account);
    assert.equal(registered.status, 201, JSON.stringify(registered.data));
    const { token } = registered.data.data;
    const meBefore = await served('GET', '/api/v1/users/me');
    for (let i = 0; i < 4; i++) {
      const me = await api.get('/users/me', bearer(token));
      assert.equal(me.status, 200, JSON.stringify(me.data));
      assert.equal(me.data.data.email, account.email);
    }
    const meOn = grew(meBefore, await served('GET', '/api/v1/users/me'));
    assert.ok(meOn[0] > 0 && meOn[1] > 0, `the token was used on both nodes: ${meOn}`);

    const boss = await createAdmin(nodes[0], api);
    const dish = await api.post('/admin/menu/items', { name: `Multinode Biryani ${uniq()}`, price: 249, category: { main: 'Biryani' } }, bearer(boss.token));
    assert.equal(dish.status, 201, JSON.stringify(dish.data));
    for (let i = 0; i < 2; i++)  // both nodes' menus have the new dish at once (invalidation over Redis)
      assert.equal((await api.get(`/menu/items/${dish.data.data._id}`)).status, 200);

    // The customer's socket: through nginx, long-polling first and then WebSocket, on one node.
    const socketsBefore = await Promise.all(nodes.map(sockets_on));
    const socket = io(proxy.baseUrl, { auth: { token }, reconnection: false });
    sockets.push(socket);
    await connected(socket);
    const holder = grew(socketsBefore, await Promise.all(nodes.map(sockets_on))).indexOf(1);
    assert.ok(holder >= 0, 'one node holds the socket');
    const other = 1 - holder;

    const placed = await api.post('/orders',
      { items: [{ menuItem: dish.data.data._id, quantity: 2 }], deliveryAddress: { street: '12 MG Road', city: 'Bengaluru' }, paymentMethod: 'COD' },
      { headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': uniq() } });
    assert.equal(placed.status, 201, JSON.stringify(placed.data));
    const order = placed.data.data;
    const updatesBefore = await served('PUT', '/api/v1/admin/orders/:id');
    for (const status of ['confirmed', 'preparing', 'ready']) {
      const heard = next(socket, 'order:status:updated', (d) => d.status === status);
      const res = await api.put(`/admin/orders/${order._id}`, { status }, bearer(boss.token));
      assert.equal(res.status, 200, JSON.stringify(res.data));
      assert.equal((await heard).orderNumber, order.orderNumber);
    }
    const updatedOn = grew(updatesBefore, await served('PUT', '/api/v1/admin/orders/:id'));
    assert.ok(updatedOn[other] > 0, `some status changes were made on the node without the socket: ${updatedOn}`);

    // Signing out (on whichever node) closes the socket and ends the token on both.
    const gone = new Promise((r) => socket.once('disconnect', r));
    assert.equal((await api.post('/auth/logout', {}, bearer(token))).status, 200);
    assert.equal(await gone, 'io server disconnect');
    for (let i = 0; i < 2; i++) assert.equal((await api.get('/users/me', bearer(token))).status, 401);
  });

  test('the login limit counts the attempts both nodes saw', async () => {
    const account = { email: `mn.limit.${uniq()}@example.test`, phone: phone(), password: `Mn-${uniq()}-Pw!`, firstName: 'Ravi' };
    assert.equal((await api.post('/auth/register', account)).status, 201);
    const loginsBefore = await served('POST', '/api/v1/auth/login');
    // AUTH_RATE_LIMIT_MAX=3 per address and account.
    for (let i = 0; i < 3; i++) {
      const res = await api.post('/auth/login', { email: account.email, password: `wrong-${i}-${uniq()}` });
      assert.equal(res.status, 401, JSON.stringify(res.data));
    }
    const loginsOn = grew(loginsBefore, await served('POST', '/api/v1/auth/login'));
    assert.ok(loginsOn[0] > 0 && loginsOn[1] > 0, `the attempts went to both nodes: ${loginsOn}`);
    // Neither node saw more than two; together they saw three, so the fourth is refused.
    const res = await api.post('/auth/login', { email: account.email, password: account.password });
    assert.equal(res.status, 429, JSON.stringify(res.data));
    assert.equal(res.data.error.code, 'RATE_LIMITED');
    assert.ok(Number(res.headers['retry-after']) > 0);
  });
});
