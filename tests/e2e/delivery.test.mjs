// A delivery partner's whole shift, end to end with the real axios and socket.io-client: the admin
// creates the partner, the partner goes on duty and opens a shift with a change fund, hears a
// ready order over Socket.IO, accepts it (a second partner is refused), rides it while the customer
// watches delivery:location, collects the cash, declares the handover, and the admin settles it
// against an append-only ledger.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import axios from 'axios';
import { io } from 'socket.io-client';

import { bearer, collect, connected, createAdmin, next, phone, uniq } from './helpers/clients.mjs';
import { startServer } from './helpers/server.mjs';

let server;
let api;
let boss;
let menuItemId;
const sockets = [];

function connect(token, options = {}) {
  const socket = io(server.baseUrl, { auth: { token }, reconnection: false, ...options });
  sockets.push(socket);
  return socket;
}

// A partner account made by the admin through the API, then signed in as the app does.
async function partner(name) {
  const account = { email: `dl.${name}.${uniq()}@tiptop.test`, phone: phone(), password: `Dl-${uniq()}-Pw!`, firstName: name,
    vehicleInfo: { type: 'motorcycle', number: 'KA01AB1234' } };
  const created = await api.post('/admin/delivery-partners', account, bearer(boss.token));
  assert.equal(created.status, 201, JSON.stringify(created.data));
  assert.equal(created.data.data.role, 'delivery');
  const res = await api.post('/auth/login', { email: account.email, password: account.password });
  assert.equal(res.status, 200, JSON.stringify(res.data));
  return res.data.data;
}

async function customer() {
  const res = await api.post('/auth/register', { email: `dl.c.${uniq()}@example.test`, phone: phone(), password: `Dl-${uniq()}-Pw!`, firstName: 'Dev' });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return res.data.data;
}

async function readyOrder(token) {
  const placed = await api.post('/orders', {
    items: [{ menuItem: menuItemId, quantity: 3 }],
    deliveryAddress: { street: '7 Brigade Road', city: 'Bengaluru', coordinates: [77.607, 12.972] },
    paymentMethod: 'COD',
  }, bearer(token));
  assert.equal(placed.status, 201, JSON.stringify(placed.data));
  const order = placed.data.data;
  for (const status of ['confirmed', 'preparing', 'ready']) {
    const res = await api.put(`/admin/orders/${order._id}`, { status }, bearer(boss.token));
    assert.equal(res.status, 200, JSON.stringify(res.data));
  }
  return order;
}

before(async () => {
  server = await startServer({ env: { RATE_LIMIT_MAX: '100000', AUTH_RATE_LIMIT_MAX: '1000' } });
  api = axios.create({ baseURL: `${server.baseUrl}/api/v1`, timeout: 20_000, validateStatus: () => true });
  boss = await createAdmin(server, api);
  const item = await api.post('/admin/menu/items', { name: `Shift Biryani ${uniq()}`, price: 249.5, category: { main: 'Biryani' } }, bearer(boss.token));
  assert.equal(item.status, 201, JSON.stringify(item.data));
  menuItemId = item.data.data._id;
});

after(async () => {
  for (const s of sockets) s.disconnect();
  if (server) await server.stop({ allowFailure: true });
});

describe('a delivery shift', () => {
  test('on duty, new order heard, accepted once, tracked live, cash collected, declared and settled to the paisa', async () => {
    const ravi = await partner('Ravi');
    const sunil = await partner('Sunil');
    const dev = await customer();
    const raviSocket = await connected(connect(ravi.token));
    const sunilSocket = await connected(connect(sunil.token, { transports: ['websocket'] }));
    const devSocket = await connected(connect(dev.token));
    const sunilLocations = collect(sunilSocket, 'delivery:location');

    // On duty, with ₹500 of change.
    for (const p of [ravi, sunil])
      assert.equal((await api.put('/delivery/availability', { availability: true }, bearer(p.token))).data.data.availability, true);
    const started = await api.post('/delivery/sessions/start', { changeFund: 500 }, bearer(ravi.token));
    assert.equal(started.status, 201, JSON.stringify(started.data));
    assert.equal(started.data.data.changeFund, 500);
    assert.equal((await api.post('/delivery/sessions/start', { changeFund: 500 }, bearer(ravi.token))).data.error.code, 'SESSION_ALREADY_OPEN');

    // A ready order nobody holds is announced to every partner, without the customer's phone.
    const heard = next(raviSocket, 'delivery:new-order', (d) => d.orderNumber !== undefined);
    const order = await readyOrder(dev.token);
    const news = await heard;
    assert.equal(news.orderId, order._id);
    assert.equal(news.paymentMethod, 'COD');
    assert.equal(JSON.stringify(news).includes(dev.user.phone), false);
    assert.deepEqual(news.deliveryAddress, { city: 'Bengaluru', coordinates: { type: 'Point', coordinates: [77.61, 12.97] } },
      'the area (to about a kilometre), not the door');
    const open = await api.get('/delivery/active', bearer(sunil.token));
    assert.ok(open.data.data.available.some((o) => o._id === order._id));

    // Ravi accepts; Sunil, a moment later, is refused and cannot see the order.
    const devAssigned = next(devSocket, 'order:assigned', (d) => d.orderId === order._id);
    const [mine, theirs] = await Promise.all([
      api.put(`/delivery/orders/${order._id}/accept`, {}, bearer(ravi.token)),
      sleep(20).then(() => api.put(`/delivery/orders/${order._id}/accept`, {}, bearer(sunil.token))),
    ]);
    assert.equal(mine.status, 200, JSON.stringify(mine.data));
    assert.equal(mine.data.data.deliveryPartner.id, ravi.user._id);
    assert.equal(mine.data.data.customer.phone, dev.user.phone, 'the partner holding an active order may call the customer');
    assert.equal(theirs.status, 409);
    assert.equal(theirs.data.error.code, 'ALREADY_ASSIGNED');
    assert.equal((await devAssigned).deliveryPartner.vehicleNumber, 'KA01AB1234');
    assert.equal((await api.get(`/orders/${order._id}`, bearer(sunil.token))).status, 404);

    // Picked up: the customer hears it, then follows the rider over the socket and over HTTP.
    const onTheWay = next(devSocket, 'order:status:updated', (d) => d.orderId === order._id && d.status === 'out-for-delivery');
    assert.equal((await api.put(`/delivery/orders/${order._id}/status`, { status: 'out-for-delivery' }, bearer(ravi.token))).status, 200);
    assert.equal((await onTheWay).statusHistory.at(-1).updatedBy, 'delivery');
    const firstFix = next(devSocket, 'delivery:location', (d) => d.orderId === order._id);
    const ack = await raviSocket.emitWithAck('location:update', { lat: 12.9701, lng: 77.6001, heading: 45, speed: 18 });
    assert.equal(ack.success, true, JSON.stringify(ack));
    assert.equal((await firstFix).location.lat, 12.9701);
    await sleep(1000);
    const secondFix = next(devSocket, 'delivery:location', (d) => d.orderId === order._id && d.location.lat === 12.9703);
    const posted = await api.post('/delivery/location', { lat: 12.9703, lng: 77.6001 }, bearer(ravi.token));
    assert.equal(posted.status, 200, JSON.stringify(posted.data));
    assert.equal(posted.data.data.customersNotified, 1);
    await secondFix;
    const tooSoon = await api.post('/delivery/location', { lat: 12.9706, lng: 77.6003 }, bearer(ravi.token));
    assert.equal(tooSoon.status, 429);
    assert.equal((await api.post('/delivery/location', { lat: 95, lng: 77.6 }, bearer(ravi.token))).status, 400);

    // Delivered: a cash order needs the amount; then the customer hears it.
    const due = order.pricing.finalAmount;
    const noCash = await api.put(`/delivery/orders/${order._id}/status`, { status: 'delivered' }, bearer(ravi.token));
    assert.equal(noCash.status, 400);
    assert.equal(noCash.data.error.details[0].field, 'cashCollected');
    const delivered = next(devSocket, 'order:status:updated', (d) => d.orderId === order._id && d.status === 'delivered');
    const done = await api.put(`/delivery/orders/${order._id}/status`, { status: 'delivered', cashCollected: due }, bearer(ravi.token));
    assert.equal(done.status, 200, JSON.stringify(done.data));
    assert.equal(done.data.data.customer.phone, undefined, 'no customer phone once the order is over');
    await delivered;

    // The shift's running totals, then the handover and the admin's count.
    const current = (await api.get('/delivery/sessions/current', bearer(ravi.token))).data.data;
    assert.equal(current.totalCollected, due);
    assert.equal(current.cashInHand, Math.round((500 + due) * 100) / 100);
    assert.deepEqual(current.cashOrders.map((c) => [c.orderNumber, c.status, c.collected]), [[order.orderNumber, 'collected', due]]);
    // 22 m in about a second: a plausible ride (a 50 m hop in one second would be dropped as a GPS jump).
    assert.equal(current.stats.totalDistance, 0.02, JSON.stringify(current.stats));
    const declared = await api.post('/delivery/sessions/settlement', { amount: current.cashInHand, notes: 'all cash' }, bearer(ravi.token));
    assert.equal(declared.status, 200, JSON.stringify(declared.data));
    const listed = await api.get(`/admin/cash-management/sessions?partnerId=${ravi.user._id}&settled=false`, bearer(boss.token));
    assert.equal(listed.data.data.length, 1);
    const settled = await api.post('/admin/cash-management/sessions/settle',
      { sessionId: current._id, actualAmount: current.cashInHand, notes: 'counted' }, bearer(boss.token));
    assert.equal(settled.status, 200, JSON.stringify(settled.data));
    assert.equal(settled.data.data.settlement.discrepancy, 0);
    const again = await api.post('/admin/cash-management/sessions/settle',
      { sessionId: current._id, actualAmount: 1, notes: 'recount' }, bearer(boss.token));
    assert.equal(again.status, 409);
    const ledger = await api.get(`/admin/cash-management/transactions?sessionId=${current._id}`, bearer(boss.token));
    assert.deepEqual(ledger.data.data.map((e) => e.type).sort(), ['collected', 'float_issued', 'handed_over']);
    assert.equal(ledger.data.meta.totals.balance, 0);
    assert.equal((await api.get('/admin/cash-management/transactions', bearer(ravi.token))).status, 403);

    const stats = await api.get('/admin/delivery-partners/stats', bearer(boss.token));
    const row = stats.data.data.find((s) => s.deliveryPartner._id === ravi.user._id);
    assert.equal(row.successfulDeliveries, 1);
    assert.equal(row.cashCollected, due);
    assert.deepEqual(sunilLocations, [], 'a partner never sees another partner\'s position');
  });

  test('UPI at the door: the rider shows the order\'s upi:// link, records the UPI reference and a tip; the shift keeps UPI and tips apart from cash', async () => {
    const settings = await api.put('/admin/settings', { upiId: 'tiptop@okaxis', restaurantName: 'TipTop', maxTip: 50 }, bearer(boss.token));
    assert.equal(settings.status, 200, JSON.stringify(settings.data));
    const asha = await partner('Asha');
    const meena = await customer();
    assert.equal((await api.put('/delivery/availability', { availability: true }, bearer(asha.token))).status, 200);
    assert.equal((await api.post('/delivery/sessions/start', { changeFund: 300 }, bearer(asha.token))).status, 201);
    const cart = { items: [{ menuItem: menuItemId, quantity: 2 }], paymentMethod: 'UPI', tip: 30,
      deliveryAddress: { street: '9 Brigade Road', city: 'Bengaluru', coordinates: [77.607, 12.972] } };
    // A tip over the restaurant's cap is refused by name, and nothing is placed.
    const tooMuch = await api.post('/orders', { ...cart, tip: 51 }, bearer(meena.token));
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.data.error.details[0].field, 'tip');
    const placed = await api.post('/orders', cart, bearer(meena.token));
    assert.equal(placed.status, 201, JSON.stringify(placed.data));
    const order = placed.data.data;
    assert.equal((await api.get('/orders', bearer(meena.token))).data.meta.pagination.total, 1);
    assert.equal(order.pricing.tip, 30);
    assert.equal(order.upiLink, `upi://pay?pa=tiptop@okaxis&pn=TipTop&am=${order.pricing.finalAmount.toFixed(2)}&tn=${order.orderNumber}&cu=INR`);
    for (const status of ['confirmed', 'preparing', 'ready'])
      assert.equal((await api.put(`/admin/orders/${order._id}`, { status }, bearer(boss.token))).status, 200);
    assert.equal((await api.put(`/delivery/orders/${order._id}/accept`, {}, bearer(asha.token))).status, 200);
    const riding = await api.put(`/delivery/orders/${order._id}/status`, { status: 'out-for-delivery' }, bearer(asha.token));
    assert.equal(riding.status, 200, JSON.stringify(riding.data));
    assert.equal(riding.data.data.upiLink, order.upiLink);

    const noReference = await api.put(`/delivery/orders/${order._id}/status`, { status: 'delivered', paidBy: 'upi' }, bearer(asha.token));
    assert.equal(noReference.status, 400);
    assert.equal(noReference.data.error.details[0].field, 'upiReference');
    const delivered = await api.put(`/delivery/orders/${order._id}/status`,
      { status: 'delivered', paidBy: 'upi', upiReference: '433012345678', tip: 10 }, bearer(asha.token));
    assert.equal(delivered.status, 200, JSON.stringify(delivered.data));
    assert.equal(delivered.data.data.paymentStatus, 'paid');
    assert.deepEqual([delivered.data.data.cashCollection.paidBy, delivered.data.data.cashCollection.upiReference], ['upi', '433012345678']);

    const shift = (await api.get('/delivery/sessions/current', bearer(asha.token))).data.data;
    assert.equal(shift.totalCollected, 0);
    assert.equal(shift.totalUpi, order.pricing.finalAmount + 10);
    assert.equal(shift.totalTips, 40);
    assert.equal(shift.cashInHand, 260);  // the ₹300 float less ₹40 of tips, paid from the bag
    const ledger = await api.get(`/admin/cash-management/transactions?sessionId=${shift._id}`, bearer(boss.token));
    assert.equal(ledger.data.meta.totals.upi_collected, order.pricing.finalAmount + 10);
    assert.equal(ledger.data.meta.totals.tip, -40);
    assert.equal(ledger.data.meta.totals.balance, 260);
    const settled = await api.post('/admin/cash-management/sessions/settle', { sessionId: shift._id, actualAmount: 260, notes: 'float less tips' },
      bearer(boss.token));
    assert.equal(settled.status, 200, JSON.stringify(settled.data));
    assert.equal(settled.data.data.settlement.discrepancy, 0);
    const stats = await api.get('/admin/delivery-partners/stats', bearer(boss.token));
    const row = stats.data.data.find((r) => r.deliveryPartner._id === asha.user._id);
    assert.deepEqual([row.tips, row.upiCollected, row.cashCollected], [40, order.pricing.finalAmount + 10, 0]);
  });
});
