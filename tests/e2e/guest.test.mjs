// Issue 21 guest checkout end to end with the real axios, the SMS sent through the real Twilio REST
// protocol to a local fake: a phone proven by the code in the SMS gives a 30-minute guest token;
// the guest orders (a double press makes one order), follows it by its tracking link — which
// opens nothing else — and the guest token reaches no other route; when the phone later signs
// up, its guest orders join the new account. A guest may pay online (Razorpay's real protocol
// against a local fake) and follow the order on a socket opened with its tracking link alone.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import axios from 'axios';
import { io } from 'socket.io-client';

import { bearer, connected, createAdmin, next, uniq, waitFor } from './helpers/clients.mjs';
import { startFakeTwilio } from './helpers/fake-providers.mjs';
import { startFakeRazorpay } from './helpers/fake-razorpay.mjs';
import { startServer } from './helpers/server.mjs';

let server;
let twilio;
let gateway;
let api;
let boss;
let dishId;
const accountSid = `AC${crypto.randomBytes(16).toString('hex')}`;

before(async () => {
  twilio = await startFakeTwilio({ accountSid, authToken: 'twilio-secret' });
  gateway = await startFakeRazorpay();
  server = await startServer({ env: { RATE_LIMIT_MAX: '100000', AUTH_RATE_LIMIT_MAX: '1000', TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: 'twilio-secret', TWILIO_PHONE_NUMBER: '+15005550006', TWILIO_BASE_URL: twilio.url,
    RAZORPAY_KEY_ID: gateway.keyId, RAZORPAY_KEY_SECRET: gateway.keySecret, RAZORPAY_WEBHOOK_SECRET: 'whsec-guest-0123456789',
    RAZORPAY_BASE_URL: gateway.url } });
  api = axios.create({ baseURL: `${server.baseUrl}/api/v1`, timeout: 20_000, validateStatus: () => true });
  boss = await createAdmin(server, api);
  const item = await api.post('/admin/menu/items', { name: `Guest Biryani ${uniq()}`, price: 260, category: { main: 'Biryani' } },
    bearer(boss.token));
  assert.equal(item.status, 201, JSON.stringify(item.data));
  dishId = item.data.data._id;
});

after(async () => {
  if (server) await server.stop({ allowFailure: true });
  if (twilio) await twilio.close();
  if (gateway) await gateway.close();
});

// A guest token for a phone, proven by the code in the SMS.
async function guestToken(phone) {
  const sent = await api.post('/auth/otp/send', { phone, purpose: 'guest-checkout' });
  assert.equal(sent.status, 200, JSON.stringify(sent.data));
  const sms = await waitFor('the code by SMS', () => twilio.accepted.find((m) => m.To.endsWith(phone)));
  const code = /code is (\d{6})/.exec(sms.Body)[1];
  const verified = await api.post('/auth/otp/verify', { phone, purpose: 'guest-checkout', code });
  assert.equal(verified.status, 200, JSON.stringify(verified.data));
  return verified.data.data.guestToken;
}

test('a guest proves a phone by SMS, orders once, tracks by the link alone, and joins the account made later', async () => {
  const phone = `98${String(Date.now()).slice(-8)}`;
  const sent = await api.post('/auth/otp/send', { phone, purpose: 'guest-checkout' });
  assert.equal(sent.status, 200, JSON.stringify(sent.data));
  const sms = await waitFor('the code by SMS', () => twilio.accepted.find((m) => m.To.endsWith(phone)));
  const code = /code is (\d{6})/.exec(sms.Body)[1];
  const wrong = await api.post('/auth/otp/verify', { phone, purpose: 'guest-checkout', code: code === '000000' ? '111111' : '000000' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.data.error.code, 'OTP_INVALID');
  const verified = await api.post('/auth/otp/verify', { phone, purpose: 'guest-checkout', code });
  assert.equal(verified.status, 200, JSON.stringify(verified.data));
  const guest = verified.data.data.guestToken;
  assert.equal(verified.data.data.expiresIn, 1800);

  const cart = { name: 'Imran', orderType: 'takeaway', items: [{ menuItem: dishId, quantity: 1 }], paymentMethod: 'COD' };
  const headers = { Authorization: `Bearer ${guest}`, 'Idempotency-Key': `guest-${uniq()}` };
  const [a, b] = await Promise.all([api.post('/orders/guest', cart, { headers }), api.post('/orders/guest', cart, { headers })]);
  assert.equal(a.status, 201, JSON.stringify(a.data));
  assert.equal(b.data.data._id, a.data.data._id);
  const order = a.data.data;
  assert.equal(order.status, 'pending');
  assert.equal(order.customer.phone, phone);
  assert.match(order.tracking.token, /^[0-9a-f]{48}$/);

  // The link opens this order; a forged or altered one opens nothing.
  const tracked = await axios.get(`${server.baseUrl}${order.tracking.url}`, { validateStatus: () => true });
  assert.equal(tracked.status, 200, JSON.stringify(tracked.data));
  assert.equal(tracked.data.data.orderNumber, order.orderNumber);
  assert.equal(tracked.data.data.status, 'pending');
  const altered = order.tracking.token.slice(0, -1) + (order.tracking.token.endsWith('0') ? '1' : '0');
  assert.equal((await api.get(`/orders/guest/track/${altered}`)).status, 404);
  assert.equal((await api.get('/orders/guest/track/not-a-token')).status, 404);
  // The kitchen's progress shows on the link, and live on a socket opened with the guest token.
  const socket = io(server.baseUrl, { auth: { token: guest }, reconnection: false });
  try {
    await connected(socket);
    const heard = next(socket, 'order:status:updated', (e) => e.orderId === order._id);
    assert.equal((await api.put(`/admin/orders/${order._id}`, { status: 'confirmed' }, bearer(boss.token))).status, 200);
    assert.equal((await heard).status, 'confirmed');
  } finally {
    socket.disconnect();
  }
  assert.equal((await api.get(`/orders/guest/track/${order.tracking.token}`)).data.data.status, 'confirmed');

  // The guest token reaches nothing else.
  assert.equal((await api.get('/orders', bearer(guest))).status, 403);
  assert.equal((await api.get(`/orders/${order._id}`, bearer(guest))).status, 403);
  assert.equal((await api.get('/users/me', bearer(guest))).status, 403);
  assert.equal((await api.get('/admin/orders', bearer(guest))).status, 403);
  assert.equal((await api.post('/orders', { ...cart, name: undefined }, bearer(guest))).status, 403);
  // Bad input changes nothing.
  const nameless = await api.post('/orders/guest', { items: cart.items }, bearer(guest));
  assert.equal(nameless.status, 400);
  assert.equal(nameless.data.error.details[0].field, 'name');
  assert.equal((await api.post('/orders/guest', cart)).status, 401);

  // Promo codes need an account.
  const promo = await api.post('/orders/guest', { ...cart, promoCode: 'WELCOME' }, bearer(guest));
  assert.equal(promo.status, 400);
  assert.equal(promo.data.error.details[0].field, 'promoCode');

  // The phone signs up: its guest orders join the account only once the phone is proven by a code
  // (anyone could type someone else's number when signing up).
  const account = await api.post('/auth/register', { email: `guest.${uniq()}@example.test`, phone, password: `Gs-${uniq()}-Pw!`, firstName: 'Imran' });
  assert.equal(account.status, 201, JSON.stringify(account.data));
  const me = account.data.data.token;
  assert.deepEqual((await api.get('/orders', bearer(me))).data.data, []);
  const before = twilio.accepted.length;
  assert.equal((await api.post('/auth/otp/send', { phone, purpose: 'verify-phone' }, bearer(me))).status, 200);
  const again = await waitFor('the second code', () => twilio.accepted.slice(before).find((m) => m.To.endsWith(phone)));
  const proven = await api.post('/auth/otp/verify', { phone, purpose: 'verify-phone', code: /code is (\d{6})/.exec(again.Body)[1] },
    bearer(me));
  assert.equal(proven.status, 200, JSON.stringify(proven.data));
  const mine = await api.get('/orders', bearer(me));
  assert.deepEqual(mine.data.data.map((o) => o._id), [order._id]);
});

test('a guest pays online and follows the order on a socket opened with its tracking link, which hears that order only', async () => {
  const token = await guestToken(`97${String(Date.now()).slice(-8)}`);
  const cart = { name: 'Nisha', items: [{ menuItem: dishId, quantity: 2 }], paymentMethod: 'ONLINE',
    deliveryAddress: { street: '4 Brigade Road', city: 'Bengaluru', coordinates: [77.607, 12.972] }, tip: 20 };
  const placed = await api.post('/orders/guest', cart, { headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': `g-${uniq()}` } });
  assert.equal(placed.status, 201, JSON.stringify(placed.data));
  const order = placed.data.data;
  assert.equal(order.paymentMethod, 'ONLINE');
  assert.equal(order.paymentStatus, 'pending');
  assert.equal(order.pricing.tip, 20);
  // Razorpay Checkout's sheet for the whole bill, tip included, in paise.
  assert.equal(order.payment.keyId, gateway.keyId);
  assert.equal(order.payment.amount, Math.round(order.pricing.finalAmount * 100));

  // Another guest's order, to prove the link's socket does not hear it.
  const other = await api.post('/orders/guest', { name: 'Sam', orderType: 'takeaway', items: [{ menuItem: dishId, quantity: 1 }] },
    bearer(await guestToken(`96${String(Date.now()).slice(-8)}`)));
  assert.equal(other.status, 201, JSON.stringify(other.data));

  const refused = io(server.baseUrl, { auth: { trackingToken: 'f'.repeat(48) }, reconnection: false });
  const why = await new Promise((resolve) => refused.once('connect_error', resolve));
  assert.match(why.message, /Authentication failed/);
  refused.disconnect();

  const socket = io(server.baseUrl, { auth: { trackingToken: order.tracking.token }, reconnection: false });
  const heard = [];
  socket.onAny((event, data) => heard.push({ event, orderId: data?.orderId, status: data?.status }));
  try {
    await connected(socket);
    // The gateway's answer, verified with the guest's token: paid, and the kitchen is told.
    const paid = await api.post(`/orders/${order._id}/payment/verify`, gateway.pay(order.payment.orderId), bearer(token));
    assert.equal(paid.status, 200, JSON.stringify(paid.data));
    assert.equal(paid.data.data.paymentStatus, 'paid');
    assert.equal((await api.put(`/admin/orders/${other.data.data._id}`, { status: 'confirmed' }, bearer(boss.token))).status, 200);
    const preparing = next(socket, 'order:status:updated', (e) => e.status === 'preparing');
    assert.equal((await api.put(`/admin/orders/${order._id}`, { status: 'preparing' }, bearer(boss.token))).status, 200);
    assert.equal((await preparing).orderId, order._id);
    // The other order's news never reached this socket; and it cannot chat or report a location.
    assert.ok(heard.every((h) => h.orderId === order._id), JSON.stringify(heard));
    const chat = await socket.timeout(5000).emitWithAck('chat:message', { orderId: order._id, message: 'hello' });
    assert.equal(chat.success, false);
  } finally {
    socket.disconnect();
  }
  // The guest token pays only its own order.
  const stranger = await guestToken(`95${String(Date.now()).slice(-8)}`);
  assert.equal((await api.post(`/orders/${order._id}/payment`, {}, bearer(stranger))).status, 404);
});
