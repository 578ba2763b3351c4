// Two `tiptop serve` nodes on one PostgreSQL and one Redis behind nginx (deploy/nginx.conf), as
// production runs them — driven by the real axios and socket.io-client through nginx only.
// nginx's ip_hash keeps each client on one node, so the apps' requests come from different
// loopback addresses (127.0.N.1): the test finds addresses nginx sends to each node (by the
// nodes' own /metrics), then signs in on one and works on the other.
//
// Run by the test command as a step of its own (not matched by `npm test`):
//   TIPTOP_E2E_DATABASE_URL=postgres://… TIPTOP_E2E_REDIS_URL=redis://… node --test multinode/two-nodes.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
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
  AUTH_RATE_LIMIT_MAX: '2',  // per address and account; an account's cap over all addresses is 4× that
};

let nodes;
let proxy;
const sockets = [];
// Loopback addresses nginx sends to each node: byNode[0] for the first, byNode[1] for the second.
const byNode = [[], []];

function client(address) {
  return axios.create({
    baseURL: `${proxy.baseUrl}/api/v1`,
    timeout: 20_000,
    validateStatus: () => true,
    httpAgent: new http.Agent({ localAddress: address, keepAlive: true }),
  });
}

async function settingsReads(node) {
  const res = await axios.get(`${node.baseUrl}/metrics`, { validateStatus: () => true });
  assert.equal(res.status, 200, 'the nodes answer /metrics on loopback');
  let n = 0;
  for (const line of res.data.split('\n'))
    if (line.startsWith('tiptop_http_requests_total{') && line.includes('route="/api/v1/settings"')) n += Number(line.split(' ').at(-1));
  return n;
}

// Which node nginx sends `address` to: the one whose count of /api/v1/settings reads goes up.
async function nodeOf(address) {
  const before = await Promise.all(nodes.map(settingsReads));
  const res = await client(address).get('/settings');
  assert.equal(res.status, 200, JSON.stringify(res.data));
  const after = await Promise.all(nodes.map(settingsReads));
  const moved = after.map((n, i) => n - before[i]);
  assert.equal(moved[0] + moved[1], 1, `one node answered: ${moved}`);
  return moved[0] === 1 ? 0 : 1;
}

async function socketCount(node) {
  const res = await axios.get(`${node.baseUrl}/metrics`);
  const line = res.data.split('\n').find((l) => l.startsWith('tiptop_socketio_connections '));
  return Number(line.split(' ')[1]);
}

before(async () => {
  nodes = [await startServer({ env }), await startServer({ env })];
  proxy = await startNginx({ upstreams: nodes.map((n) => n.port) });
  for (let n = 1; n < 64 && (byNode[0].length < 3 || byNode[1].length < 3); n++) {
    const address = `127.0.${n}.1`;
    byNode[await nodeOf(address)].push(address);
  }
  assert.ok(byNode[0].length >= 3 && byNode[1].length >= 3, `nginx spread addresses over both nodes: ${JSON.stringify(byNode)}`);
});

after(async () => {
  for (const s of sockets) s.disconnect();
  await proxy?.stop();
  for (const n of nodes ?? []) await n.stop();
});

describe('two nodes behind nginx', () => {
  test('signed in through one node, the customer works on the other; an order through one reaches their socket on the other', async () => {
    const onA = client(byNode[0][0]);
    const onB = client(byNode[1][0]);
    const account = { email: `mn.${uniq()}@example.test`, phone: phone(), password: `Mn-${uniq()}-Pw!`, firstName: 'Asha' };
    const registered = await onA.post('/auth/register', account);
    assert.equal(registered.status, 201, JSON.stringify(registered.data));
    const { token } = registered.data.data;
    const me = await onB.get('/users/me', bearer(token));
    assert.equal(me.status, 200, 'a token from node A is good on node B');
    assert.equal(me.data.data.email, account.email);
    const relogin = await onB.post('/auth/login', { email: account.email, password: account.password });
    assert.equal(relogin.status, 200);
    assert.equal((await onA.get('/users/me', bearer(relogin.data.data.token))).status, 200, 'and the other way round');

    const boss = await createAdmin(nodes[0], onA);
    const dish = await onA.post('/admin/menu/items', { name: `Multinode Biryani ${uniq()}`, price: 249, category: { main: 'Biryani' } }, bearer(boss.token));
    assert.equal(dish.status, 201, JSON.stringify(dish.data));
    // The new dish is on node B's menu at once (invalidation over Redis).
    const seen = await onB.get(`/menu/items/${dish.data.data._id}`);
    assert.equal(seen.status, 200, JSON.stringify(seen.data));

    // The customer's socket: through nginx to node B, long-polling first then WebSocket.
    const socketsOnB = await socketCount(nodes[1]);
    const socket = io(proxy.baseUrl, { auth: { token }, reconnection: false, agent: new http.Agent({ localAddress: byNode[1][0] }) });
    sockets.push(socket);
    await connected(socket);
    assert.equal(await socketCount(nodes[1]), socketsOnB + 1, 'the socket sits on node B');

    const placed = await onA.post('/orders',
      { items: [{ menuItem: dish.data.data._id, quantity: 2 }], deliveryAddress: { street: '12 MG Road', city: 'Bengaluru' }, paymentMethod: 'COD' },
      { headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': uniq() } });
    assert.equal(placed.status, 201, JSON.stringify(placed.data));
    const order = placed.data.data;
    for (const status of ['confirmed', 'preparing']) {
      const heard = next(socket, 'order:status:updated', (d) => d.status === status);
      const res = await onA.put(`/admin/orders/${order._id}`, { status }, bearer(boss.token));
      assert.equal(res.status, 200, JSON.stringify(res.data));
      const update = await heard;
      assert.equal(update.orderNumber, order.orderNumber);
    }
    // Signing out through node A closes the socket held by node B.
    const gone = new Promise((r) => socket.once('disconnect', r));
    assert.equal((await onA.post('/auth/logout', {}, bearer(token))).status, 200);
    assert.equal(await gone, 'io server disconnect');
    assert.equal((await onB.get('/users/me', bearer(token))).status, 401);
  });

  test('the login limit counts one account\'s attempts over both nodes', async () => {
    const account = { email: `mn.limit.${uniq()}@example.test`, phone: phone(), password: `Mn-${uniq()}-Pw!`, firstName: 'Ravi' };
    assert.equal((await client(byNode[0][1]).post('/auth/register', account)).status, 201);
    // Two wrong guesses from each of four addresses, two sent to each node: eight, the account's cap.
    const addresses = [byNode[0][1], byNode[0][2], byNode[1][1], byNode[1][2]];
    for (const address of addresses)
      for (let i = 0; i < 2; i++) {
        const res = await client(address).post('/auth/login', { email: account.email, password: `wrong-${i}-${uniq()}` });
        assert.equal(res.status, 401, `${address}: ${JSON.stringify(res.data)}`);
      }
    // A ninth, right, from an address that has not tried yet: refused, though neither node saw more than four.
    const fresh = byNode[0].length > 3 ? byNode[0][3] : '127.0.200.1';
    const res = await client(fresh).post('/auth/login', { email: account.email, password: account.password });
    assert.equal(res.status, 429, JSON.stringify(res.data));
    assert.equal(res.data.error.code, 'RATE_LIMITED');
    assert.ok(Number(res.headers['retry-after']) > 0);
  });
});
