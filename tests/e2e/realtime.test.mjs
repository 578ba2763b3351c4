// Socket.IO end to end with the real socket.io-client v4, as the apps of spec §9 connect:
// io(URL, { auth: { token } }) — long-polling first, then the upgrade to WebSocket — and with
// transports: ['websocket']. Covers authentication, rooms, the order flow's events, privacy
// between customers, logout, and reconnection after a server restart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import axios from 'axios';
import { io } from 'socket.io-client';

import { bearer, collect, connected, createAdmin, next, phone, refused, uniq } from './helpers/clients.mjs';
import { JWT_SECRET, TIPTOP_BIN, restartServer, startServer } from './helpers/server.mjs';

let server;
let api;
const sockets = [];

async function customer(tag) {
  const account = { email: `rt.${tag}.${uniq()}@example.test`, phone: phone(), password: `Rt-${uniq()}-Pw!`, firstName: 'Asha' };
  const res = await api.post('/auth/register', account);
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return { ...res.data.data, account };
}

async function partner() {
  const email = `rt.rider.${uniq()}@tiptop.test`;
  execFileSync(TIPTOP_BIN, ['create-user', '--role', 'delivery', '--email', email, '--phone', phone(), '--password-stdin',
    '--first-name', 'Ravi', '--vehicle-type', 'bike', '--vehicle-number', 'KA01AB1234'], {
    input: 'rider-on-time-2024\n',
    env: { PATH: process.env.PATH, DATABASE_URL: server.env.DATABASE_URL, NODE_ENV: 'test', JWT_SECRET, LOG_LEVEL: 'warn' },
  });
  const res = await api.post('/auth/login', { email, password: 'rider-on-time-2024' });
  assert.equal(res.status, 200);
  return res.data.data;
}

function connect(token, options = {}) {
  const socket = io(server.baseUrl, { auth: token === undefined ? {} : { token }, reconnection: false, ...options });
  sockets.push(socket);
  return socket;
}

let menuItemId;
async function placeOrder(token) {
  const res = await api.post(
    '/orders',
    { items: [{ menuItem: menuItemId, quantity: 2 }], deliveryAddress: { street: '12 MG Road', city: 'Bengaluru' }, paymentMethod: 'COD' },
    { headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': uniq() } },
  );
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return res.data.data;
}

before(async () => {
  server = await startServer({ env: { RATE_LIMIT_MAX: '100000', AUTH_RATE_LIMIT_MAX: '1000' } });
  api = axios.create({ baseURL: `${server.baseUrl}/api/v1`, timeout: 20_000, validateStatus: () => true });
});

after(async () => {
  for (const s of sockets) s.disconnect();
  if (server) await server.stop({ allowFailure: true });
});

describe('connecting', () => {
  test('default options: long-polling first, then upgraded to WebSocket', async () => {
    const c = await customer('poll');
    const socket = await connected(connect(c.token));
    assert.equal(socket.io.engine.transport.name === 'polling' || socket.io.engine.transport.name === 'websocket', true);
    if (socket.io.engine.transport.name !== 'websocket') await new Promise((r) => socket.io.engine.once('upgrade', r));
    assert.equal(socket.io.engine.transport.name, 'websocket');
    // Still the same session after the upgrade: an event reaches it.
    const echo = next(socket, 'order:status:updated', () => true, 100).catch(() => 'none');
    assert.equal(await echo, 'none', 'no stray events');
    socket.disconnect();
  });

  test("transports: ['websocket'] connects directly", async () => {
    const c = await customer('ws');
    const socket = await connected(connect(c.token, { transports: ['websocket'] }));
    assert.equal(socket.io.engine.transport.name, 'websocket');
    socket.disconnect();
  });

  test('polling only keeps working (no upgrade)', async () => {
    const c = await customer('pollonly');
    const socket = await connected(connect(c.token, { transports: ['polling'] }));
    assert.equal(socket.io.engine.transport.name, 'polling');
    socket.disconnect();
  });

  test('a missing, forged, or query-string token is refused with "Authentication failed"', async () => {
    const c = await customer('bad');
    const missing = await refused(connect(undefined));
    assert.equal(missing.message, 'Authentication failed');
    const forged = await refused(connect(c.token.slice(0, -3) + 'abc', { transports: ['websocket'] }));
    assert.equal(forged.message, 'Authentication failed');
    const junk = await refused(connect('not-a-jwt'));
    assert.equal(junk.message, 'Authentication failed');
    // The token in the query string is never read.
    const inQuery = await refused(connect(undefined, { query: { token: c.token } }));
    assert.equal(inQuery.message, 'Authentication failed');
  });

  test('logout disconnects the sockets of that session, and its token no longer connects', async () => {
    const c = await customer('logout');
    const socket = await connected(connect(c.token, { transports: ['websocket'] }));
    const gone = new Promise((r) => socket.once('disconnect', r));
    const res = await api.post('/auth/logout', {}, bearer(c.token));
    assert.equal(res.status, 200);
    assert.equal(await gone, 'io server disconnect');
    const again = await refused(connect(c.token));
    assert.equal(again.message, 'Authentication failed');
  });
});

describe('order events', () => {
  let boss;
  let adminSocket;

  before(async () => {
    boss = await createAdmin(server, api);
    const item = await api.post('/admin/menu/items', { name: `Realtime Biryani ${uniq()}`, price: 249, category: { main: 'Biryani' } }, bearer(boss.token));
    assert.equal(item.status, 201, JSON.stringify(item.data));
    menuItemId = item.data.data._id;
    adminSocket = await connected(connect(boss.token));
  });

  test('placing an order reaches admins; a status change reaches the customer within 100 ms, and no one else', async () => {
    const alice = await customer('alice');
    const bob = await customer('bob');
    const aliceSocket = await connected(connect(alice.token));
    const bobSocket = await connected(connect(bob.token, { transports: ['websocket'] }));
    const bobSaw = collect(bobSocket, 'order:status:updated');
    const bobSawNew = collect(bobSocket, 'admin:new-order');

    const announced = next(adminSocket, 'admin:new-order', (d) => d.orderNumber !== undefined);
    const order = await placeOrder(alice.token);
    const news = await announced;
    assert.equal(news.orderId, order._id);
    assert.equal(news.orderNumber, order.orderNumber);

    for (const status of ['confirmed', 'preparing']) {
      const received = next(aliceSocket, 'order:status:updated', (d) => d.status === status);
      const adminReceived = next(adminSocket, 'order:status:updated', (d) => d.status === status);
      const t0 = performance.now();
      const res = await api.put(`/admin/orders/${order._id}`, { status }, bearer(boss.token));
      assert.equal(res.status, 200, JSON.stringify(res.data));
      const update = await received;
      const elapsed = performance.now() - t0;
      assert.ok(elapsed < 100, `order:status:updated took ${elapsed.toFixed(1)} ms`);
      assert.equal(update.orderNumber, order.orderNumber);
      assert.ok(Array.isArray(update.statusHistory) && update.statusHistory.at(-1).status === status);
      await adminReceived;
    }
    await sleep(100);
    assert.deepEqual(bobSaw, [], 'another customer never sees Alice\'s order');
    assert.deepEqual(bobSawNew, [], 'customers are not in the admin room');
  });

  test('a customer cannot join another room or impersonate an admin', async () => {
    const mallory = await customer('mallory');
    const victim = await customer('victim');
    const socket = await connected(connect(mallory.token, { transports: ['websocket'] }));
    const seen = collect(socket, 'order:status:updated');
    // There is no join event; asking for one changes nothing.
    socket.emit('join', `user:${victim.user._id}`);
    socket.emit('join', 'admin');
    const order = await placeOrder(victim.token);
    const res = await api.put(`/admin/orders/${order._id}`, { status: 'confirmed' }, bearer(boss.token));
    assert.equal(res.status, 200);
    await sleep(150);
    assert.deepEqual(seen, []);
  });

  test('delivery: presence, assignment, ready, private location, chat kept with the order, cancellation', async () => {
    const rider = await partner();
    const dave = await customer('dave');
    const erin = await customer('erin');
    const online = next(adminSocket, 'admin:delivery-online', (d) => d.partnerId === rider.user._id);
    const riderSocket = await connected(connect(rider.token, { transports: ['websocket'] }));
    await online;
    const daveSocket = await connected(connect(dave.token));
    const erinSocket = await connected(connect(erin.token, { transports: ['websocket'] }));
    const erinLocations = collect(erinSocket, 'delivery:location');
    const erinChats = collect(erinSocket, 'chat:message');

    const order = await placeOrder(dave.token);
    const erinOrder = await placeOrder(erin.token); // not given to this rider: Erin must see nothing of him
    for (const status of ['confirmed', 'preparing'])
      assert.equal((await api.put(`/admin/orders/${order._id}`, { status }, bearer(boss.token))).status, 200);

    // Assignment reaches the customer and the partner.
    const daveAssigned = next(daveSocket, 'order:assigned', (d) => d.orderId === order._id);
    const riderAssigned = next(riderSocket, 'order:assigned', (d) => d.orderId === order._id);
    const bad = await api.put(`/admin/orders/${order._id}/assign-delivery`, { deliveryPartnerId: dave.user._id }, bearer(boss.token));
    assert.equal(bad.status, 400, 'a customer is not a delivery partner');
    const assigned = await api.put(`/admin/orders/${order._id}/assign-delivery`, { deliveryPartnerId: rider.user._id }, bearer(boss.token));
    assert.equal(assigned.status, 200, JSON.stringify(assigned.data));
    assert.equal((await daveAssigned).deliveryPartner.id, rider.user._id);
    assert.equal((await riderAssigned).orderNumber, order.orderNumber);

    // Ready: the assigned partner hears about it.
    const readyNews = next(riderSocket, 'delivery:new-order', (d) => d.orderId === order._id);
    assert.equal((await api.put(`/admin/orders/${order._id}`, { status: 'ready' }, bearer(boss.token))).status, 200);
    const news = await readyNews;
    assert.equal(news.paymentMethod, 'COD');
    assert.equal(news.deliveryAddress.city, 'Bengaluru');

    // Location: validated, throttled, and only to the customer whose order the rider carries.
    const invalid = await riderSocket.emitWithAck('location:update', { lat: 123, lng: 77.6 });
    assert.equal(invalid.success, false);
    assert.equal(invalid.error.code, 'VALIDATION_ERROR');
    const seen = next(daveSocket, 'delivery:location', (d) => d.orderId === order._id);
    const ok = await riderSocket.emitWithAck('location:update', { lat: 12.9716, lng: 77.5946, heading: 90 });
    assert.equal(ok.success, true, JSON.stringify(ok));
    const where = await seen;
    assert.equal(where.location.lat, 12.9716);
    assert.equal(where.location.lng, 77.5946);
    const tooSoon = await riderSocket.emitWithAck('location:update', { lat: 12.9717, lng: 77.5947 });
    assert.equal(tooSoon.error.code, 'RATE_LIMITED');
    const customerTries = await daveSocket.emitWithAck('location:update', { lat: 12.9, lng: 77.5 });
    assert.equal(customerTries.error.code, 'AUTHORIZATION_ERROR');

    // Chat between Dave and his rider, stored with the order; Erin can neither read nor write it.
    const riderHears = next(riderSocket, 'chat:message', (m) => m.orderId === order._id);
    const sent = await daveSocket.emitWithAck('chat:message', { orderId: order._id, message: 'Gate 2, please' });
    assert.equal(sent.success, true, JSON.stringify(sent));
    const heard = await riderHears;
    assert.equal(heard.message, 'Gate 2, please');
    assert.equal(heard.from.role, 'customer');
    const daveHears = next(daveSocket, 'chat:message', (m) => m.orderId === order._id);
    const typing = next(daveSocket, 'chat:typing', (m) => m.orderId === order._id);
    riderSocket.emit('chat:typing', { orderId: order._id });
    await typing;
    assert.equal((await riderSocket.emitWithAck('chat:message', { orderId: order._id, message: 'Two minutes away' })).success, true);
    assert.equal((await daveHears).from.id, rider.user._id);
    const intruder = await erinSocket.emitWithAck('chat:message', { orderId: order._id, message: 'hello?' });
    assert.equal(intruder.error.code, 'NOT_FOUND');
    const wrongOrder = await riderSocket.emitWithAck('chat:message', { orderId: erinOrder._id, message: 'hi' });
    assert.equal(wrongOrder.error.code, 'NOT_FOUND');
    const history = await api.get(`/orders/${order._id}/messages`, bearer(dave.token));
    assert.equal(history.status, 200);
    assert.deepEqual(history.data.data.map((m) => m.message), ['Gate 2, please', 'Two minutes away']);
    assert.equal((await api.get(`/orders/${order._id}/messages`, bearer(erin.token))).status, 404);

    // Cancellation reaches the rider holding the order.
    const cancelled = next(riderSocket, 'delivery:order-cancelled', (d) => d.orderId === order._id);
    const res = await api.put(`/admin/orders/${order._id}`, { status: 'cancelled', notes: 'kitchen closed' }, bearer(boss.token));
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal((await cancelled).reason, 'kitchen closed');
    await sleep(1100);
    assert.deepEqual((await riderSocket.emitWithAck('location:update', { lat: 12.98, lng: 77.6 })).data.customersNotified, 0,
      'a cancelled order is no longer tracked');

    // The rider going offline is announced to admins.
    const offline = next(adminSocket, 'admin:delivery-offline', (d) => d.partnerId === rider.user._id);
    riderSocket.disconnect();
    await offline;
    await sleep(50);
    assert.deepEqual(erinLocations, []);
    assert.deepEqual(erinChats, []);
  });

  test('after a server restart the client reconnects on its own and receives events again', async () => {
    const carol = await customer('carol');
    const socket = io(server.baseUrl, { auth: { token: carol.token }, reconnectionDelay: 100, reconnectionDelayMax: 500 });
    sockets.push(socket);
    await connected(socket);
    const order = await placeOrder(carol.token);

    const dropped = new Promise((r) => socket.once('disconnect', r));
    const reconnected = new Promise((r) => socket.io.once('reconnect', r));
    server = await restartServer(server);
    assert.equal(await dropped, 'transport close');
    await reconnected;
    if (!socket.connected) await new Promise((r) => socket.once('connect', r)); // the namespace CONNECT follows
    assert.equal(socket.connected, true);

    boss = (await api.post('/auth/login', { email: boss.user.email, password: 'kitchen-boss-2024' })).data.data;
    const received = next(socket, 'order:status:updated', (d) => d.status === 'confirmed');
    const res = await api.put(`/admin/orders/${order._id}`, { status: 'confirmed' }, bearer(boss.token));
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal((await received).orderNumber, order.orderNumber);
    socket.disconnect();
  });
});
