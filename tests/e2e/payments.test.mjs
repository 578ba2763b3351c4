// Online payments through Razorpay's real protocol, against a local fake of its REST API
// (helpers/fake-razorpay.mjs): checkout, the app's verification, signed webhooks (replayed, out of
// order, with a wrong amount), a gateway that hangs during checkout, refunds (partial, confirmed
// only by the gateway, never twice, a lost answer) and the expiry of unpaid orders.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import axios from 'axios';
import { io } from 'socket.io-client';

import { bearer, collect, connected, createAdmin, next, phone, uniq, waitFor } from './helpers/clients.mjs';
import { hmacHex, startFakeRazorpay } from './helpers/fake-razorpay.mjs';
import { startServer } from './helpers/server.mjs';

const WEBHOOK_SECRET = 'whsec-current-0123456789';
const OLD_WEBHOOK_SECRET = 'whsec-previous-9876543210';

let gateway, server, api, boss, dishId;
const sockets = [];

function gatewayEnv(extra = {}) {
  return {
    RATE_LIMIT_MAX: '100000',
    RAZORPAY_KEY_ID: gateway.keyId,
    RAZORPAY_KEY_SECRET: gateway.keySecret,
    RAZORPAY_WEBHOOK_SECRET: WEBHOOK_SECRET,
    RAZORPAY_WEBHOOK_SECRET_PREVIOUS: OLD_WEBHOOK_SECRET,
    RAZORPAY_BASE_URL: gateway.url,
    RAZORPAY_TIMEOUT_MS: '800',
    PAYMENT_SWEEP_INTERVAL_MS: '200',
    ...extra,
  };
}

async function serve(env) {
  const s = await startServer({ env: gatewayEnv(env) });
  const a = axios.create({ baseURL: `${s.baseUrl}/api/v1`, validateStatus: () => true });
  const admin = await createAdmin(s, a);
  const item = await a.post('/admin/menu/items', { name: `Pay Biryani ${uniq()}`, price: 249.5, category: { main: 'Biryani' } },
    bearer(admin.token));
  assert.equal(item.status, 201, JSON.stringify(item.data));
  return { s, a, admin, dish: item.data.data._id };
}

before(async () => {
  gateway = await startFakeRazorpay();
  ({ s: server, a: api, admin: boss, dish: dishId } = await serve({}));
});

after(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop({ allowFailure: true });
  await gateway?.close();
});

async function customer(a = api) {
  const res = await a.post('/auth/register', { email: `pay.${uniq()}@example.test`, phone: phone(), password: `Pay-${uniq()}-Pw!`, firstName: 'Zoya' });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return { id: res.data.data.user._id, token: res.data.data.token };
}

async function placeOnline(who, { a = api, dish = dishId, quantity = 2, key, whole = false } = {}) {
  const headers = { Authorization: `Bearer ${who.token}`, ...(key ? { 'Idempotency-Key': key } : {}) };
  const res = await a.post('/orders', {
    items: [{ menuItem: dish, quantity }],
    deliveryAddress: { street: '12 Residency Road', city: 'Bengaluru', coordinates: [77.6, 12.97] },
    paymentMethod: 'ONLINE',
  }, { headers });
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return whole ? res.data : res.data.data;
}

async function socketOf(token, s = server) {
  const socket = io(s.baseUrl, { auth: { token }, reconnection: false });
  sockets.push(socket);
  return connected(socket);
}

const order = async (who, id, a = api) => (await a.get(`/orders/${id}`, bearer(who.token))).data.data;
const notifications = async (who, type, a = api) =>
  (await a.get('/notifications?limit=100', bearer(who.token))).data.data.filter((n) => n.type === type);

function webhook(body, { secret = WEBHOOK_SECRET, eventId = `evt_${uniq()}`, signature, a = api } = {}) {
  const headers = { 'Content-Type': 'application/json', 'X-Razorpay-Event-Id': eventId };
  const sig = signature ?? (secret ? hmacHex(secret, body) : undefined);
  if (sig !== undefined) headers['X-Razorpay-Signature'] = sig;
  return a.post('/payments/webhook', body, { headers, transformRequest: [(d) => d] });
}

test('happy path: checkout opens a Razorpay order, the verified payment confirms the order and tells everyone', async () => {
  const c = await customer();
  const socket = await socketOf(c.token);
  const key = `pay-${uniq()}`;
  const placed = await placeOnline(c, { key });
  assert.equal(placed.status, 'pending');
  assert.equal(placed.paymentStatus, 'pending');
  const pay = placed.payment;
  const paise = Math.round(placed.pricing.finalAmount * 100);
  assert.deepEqual({ gateway: pay.gateway, keyId: pay.keyId, amount: pay.amount, currency: pay.currency, receipt: pay.receipt },
    { gateway: 'razorpay', keyId: gateway.keyId, amount: paise, currency: 'INR', receipt: placed.orderNumber });
  const created = gateway.orders.get(pay.orderId);
  assert.ok(created, 'the gateway order exists at the gateway');
  assert.deepEqual({ amount: created.amount, currency: created.currency, receipt: created.receipt }, { amount: paise, currency: 'INR', receipt: placed.orderNumber });

  // Not to the kitchen until paid; asking again gives the same gateway order.
  const early = await api.put(`/admin/orders/${placed._id}`, { status: 'confirmed' }, bearer(boss.token));
  assert.equal(early.status, 409);
  assert.equal(early.data.error.code, 'PAYMENT_PENDING');
  const again = await api.post(`/orders/${placed._id}/payment`, {}, bearer(c.token));
  assert.equal(again.status, 200, JSON.stringify(again.data));
  assert.equal(again.data.data.orderId, pay.orderId);
  assert.equal([...gateway.orders.values()].filter((g) => g.receipt === placed.orderNumber).length, 1);

  const confirmed = next(socket, 'order:status:updated', (d) => d.orderId === placed._id && d.status === 'confirmed');
  const checkoutAnswer = gateway.pay(pay.orderId);
  const verified = await api.post(`/orders/${placed._id}/payment/verify`, checkoutAnswer, bearer(c.token));
  assert.equal(verified.status, 200, JSON.stringify(verified.data));
  const o = verified.data.data;
  assert.equal(o.status, 'confirmed');
  assert.equal(o.paymentStatus, 'paid');
  assert.equal(o.paymentDetails.transactionId, checkoutAnswer.razorpay_payment_id);
  assert.equal(o.paymentDetails.gateway, 'razorpay');
  assert.ok(Date.parse(o.paymentDetails.timestamp));
  assert.deepEqual(o.statusHistory.map((h) => [h.status, h.updatedBy]), [['pending', 'customer'], ['confirmed', 'system']]);
  await confirmed;
  await waitFor('the payment_received notification', async () => (await notifications(c, 'payment_received')).length === 1);

  // Verifying again changes nothing; the checkout is no longer due.
  const twice = await api.post(`/orders/${placed._id}/payment/verify`, checkoutAnswer, bearer(c.token));
  assert.equal(twice.status, 200);
  assert.equal((await order(c, placed._id)).statusHistory.length, 2);
  assert.equal((await notifications(c, 'payment_received')).length, 1);
  const due = await api.post(`/orders/${placed._id}/payment`, {}, bearer(c.token));
  assert.equal(due.status, 409);
  assert.equal(due.data.error.code, 'PAYMENT_NOT_DUE');
  // A retried placement (same Idempotency-Key) still gets its 201, and says the payment is done.
  const replay = await placeOnline(c, { key, whole: true });
  assert.equal(replay.meta?.idempotentReplay, true, JSON.stringify(replay));
  assert.equal(replay.data._id, placed._id);
  assert.equal(replay.data.payment.status, 'not-due');
  // The gateway was asked, with our key, for this payment.
  const asked = gateway.calls.filter((x) => x.method === 'GET' && x.path === `/v1/payments/${checkoutAnswer.razorpay_payment_id}`);
  assert.equal(asked.length, 1);
});

test('a payment the gateway only authorized is captured on verification', async () => {
  const c = await customer();
  const placed = await placeOnline(c);
  assert.equal(JSON.parse(gateway.calls.find((x) => x.path === '/v1/orders' && JSON.parse(x.body).receipt === placed.orderNumber).body).payment_capture, true);
  const answer = gateway.pay(placed.payment.orderId, { status: 'authorized' });
  const res = await api.post(`/orders/${placed._id}/payment/verify`, answer, bearer(c.token));
  assert.equal(res.status, 200, JSON.stringify(res.data));
  assert.equal(res.data.data.paymentStatus, 'paid');
  assert.equal(gateway.payments.get(answer.razorpay_payment_id).status, 'captured');
  const captures = gateway.calls.filter((x) => x.path === `/v1/payments/${answer.razorpay_payment_id}/capture`);
  assert.equal(captures.length, 1);
  assert.deepEqual(JSON.parse(captures[0].body), { amount: Math.round(placed.pricing.finalAmount * 100), currency: 'INR' });
});

test('bad or missing signatures are refused with 400 and change nothing', async () => {
  const c = await customer();
  const stranger = await customer();
  const placed = await placeOnline(c);
  const answer = gateway.pay(placed.payment.orderId);
  const other = await placeOnline(c);

  const cases = [
    [{ ...answer, razorpay_signature: hmacHex('not-the-key-secret', `${answer.razorpay_order_id}|${answer.razorpay_payment_id}`) }, 'PAYMENT_VERIFICATION_FAILED'],
    [{ ...answer, razorpay_signature: answer.razorpay_signature.replace(/.$/, (ch) => (ch === '0' ? '1' : '0')) }, 'PAYMENT_VERIFICATION_FAILED'],
    [{ ...answer, razorpay_order_id: other.payment.orderId }, 'PAYMENT_VERIFICATION_FAILED'], // another order's gateway order
    [{ razorpay_order_id: answer.razorpay_order_id, razorpay_payment_id: answer.razorpay_payment_id }, 'VALIDATION_ERROR'],
    [{ ...answer, razorpay_payment_id: '../v1/orders' }, 'VALIDATION_ERROR'],
  ];
  for (const [body, code] of cases) {
    const res = await api.post(`/orders/${placed._id}/payment/verify`, body, bearer(c.token));
    assert.equal(res.status, 400, JSON.stringify(res.data));
    assert.equal(res.data.success, false);
    assert.equal(res.data.error.code, code);
  }
  const missing = await api.post(`/orders/${placed._id}/payment/verify`, { razorpay_order_id: answer.razorpay_order_id, razorpay_payment_id: answer.razorpay_payment_id }, bearer(c.token));
  assert.ok(missing.data.error.details.some((d) => d.field === 'razorpay_signature'), JSON.stringify(missing.data));
  // Someone else's order does not exist for them.
  assert.equal((await api.post(`/orders/${placed._id}/payment/verify`, answer, bearer(stranger.token))).status, 404);

  // Webhooks: no signature, a wrong one, another secret.
  const body = gateway.event('payment.captured', { payment: gateway.payments.get(answer.razorpay_payment_id) });
  const eventId = `evt_${uniq()}`;
  for (const opts of [{ secret: null }, { signature: 'deadbeef' }, { secret: 'whsec-someone-else' }]) {
    const res = await webhook(body, { eventId, ...opts });
    assert.equal(res.status, 400, JSON.stringify(res.data));
    assert.equal(res.data.error.code, 'INVALID_SIGNATURE');
  }
  const still = await order(c, placed._id);
  assert.equal(still.status, 'pending');
  assert.equal(still.paymentStatus, 'pending');
  assert.equal(still.paymentDetails, null);
  assert.equal((await notifications(c, 'payment_received')).length, 0);

  // The refused deliveries left no trace: the same event id, properly signed (with the previous
  // secret, as during a rotation), is applied.
  const signed = await webhook(body, { eventId, secret: OLD_WEBHOOK_SECRET });
  assert.equal(signed.status, 200, JSON.stringify(signed.data));
  assert.equal(signed.data.data.duplicate, false);
  assert.equal((await order(c, placed._id)).paymentStatus, 'paid');
});

test('a webhook delivered three times changes the order once', async () => {
  const c = await customer();
  const placed = await placeOnline(c);
  const { razorpay_payment_id: paymentId } = gateway.pay(placed.payment.orderId);
  const body = gateway.event('payment.captured', { payment: gateway.payments.get(paymentId) });
  const eventId = `evt_${uniq()}`;
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await webhook(body, { eventId }));
  assert.deepEqual(answers.map((r) => [r.status, r.data.data.duplicate]), [[200, false], [200, true], [200, true]]);
  const o = await order(c, placed._id);
  assert.equal(o.paymentStatus, 'paid');
  assert.deepEqual(o.statusHistory.map((h) => h.status), ['pending', 'confirmed']);
  await waitFor('the payment_received notification', async () => (await notifications(c, 'payment_received')).length === 1);
  // order.paid for the same payment, under another event id: nothing new either.
  const paid = await webhook(gateway.event('order.paid', { payment: gateway.payments.get(paymentId), order: gateway.orders.get(placed.payment.orderId) }));
  assert.equal(paid.status, 200);
  assert.equal((await order(c, placed._id)).statusHistory.length, 2);
  assert.equal((await notifications(c, 'payment_received')).length, 1);
});

test('events in any order: captured before authorized ends paid, and a failure never undoes a payment', async () => {
  const c = await customer();
  const placed = await placeOnline(c);
  const { razorpay_payment_id: paymentId } = gateway.pay(placed.payment.orderId);
  const captured = gateway.payments.get(paymentId);
  assert.equal((await webhook(gateway.event('payment.captured', { payment: captured }))).status, 200);
  assert.equal((await webhook(gateway.event('payment.authorized', { payment: { ...captured, status: 'authorized', captured: false } }))).status, 200);
  assert.equal((await webhook(gateway.event('payment.failed', { payment: { ...captured, status: 'failed' } }))).status, 200);
  const o = await order(c, placed._id);
  assert.equal(o.paymentStatus, 'paid');
  assert.equal(o.status, 'confirmed');
  const details = await api.get(`/admin/orders/${placed._id}/payment`, bearer(boss.token));
  assert.equal(details.data.data.payment.state, 'captured');
  assert.equal(details.data.data.payment.paymentId, paymentId);

  // A failed attempt first, then a successful one: failed, then paid.
  const d = await customer();
  const second = await placeOnline(d);
  const failed = gateway.pay(second.payment.orderId, { status: 'failed' });
  assert.equal((await webhook(gateway.event('payment.failed', { payment: gateway.payments.get(failed.razorpay_payment_id) }))).status, 200);
  assert.equal((await order(d, second._id)).paymentStatus, 'failed');
  assert.equal((await order(d, second._id)).status, 'pending');
  const failedVerify = await api.post(`/orders/${second._id}/payment/verify`, failed, bearer(d.token));
  assert.equal(failedVerify.status, 400);
  assert.equal(failedVerify.data.error.code, 'PAYMENT_FAILED');
  const retry = gateway.pay(second.payment.orderId);
  const ok = await api.post(`/orders/${second._id}/payment/verify`, retry, bearer(d.token));
  assert.equal(ok.status, 200, JSON.stringify(ok.data));
  assert.equal(ok.data.data.paymentStatus, 'paid');
  assert.equal(ok.data.data.status, 'confirmed');
});

test('an amount that does not match is flagged for admins and never marked paid', async () => {
  const adminSocket = await socketOf(boss.token);
  const c = await customer();
  const placed = await placeOnline(c);
  const flagged = next(adminSocket, 'admin:payment-flagged', (d) => d.orderId === placed._id);
  const short = gateway.pay(placed.payment.orderId, { amount: 100 });
  const res = await webhook(gateway.event('payment.captured', { payment: gateway.payments.get(short.razorpay_payment_id) }));
  assert.equal(res.status, 200);
  assert.match((await flagged).flag, /amount mismatch/);
  const o = await order(c, placed._id);
  assert.equal(o.paymentStatus, 'pending');
  assert.equal(o.status, 'pending');
  const list = await api.get('/admin/payments/flagged', bearer(boss.token));
  assert.equal(list.status, 200);
  const mine = list.data.data.find((p) => p.orderId === placed._id);
  assert.ok(mine, JSON.stringify(list.data));
  assert.match(mine.flag, /gateway took 1\.00 INR/);
  assert.equal(mine.state, 'created');
  // The app's own verification of that payment is refused the same way.
  const verify = await api.post(`/orders/${placed._id}/payment/verify`, short, bearer(c.token));
  assert.equal(verify.status, 409);
  assert.equal(verify.data.error.code, 'PAYMENT_AMOUNT_MISMATCH');
  assert.equal((await order(c, placed._id)).paymentStatus, 'pending');
  assert.equal((await api.get('/admin/payments/flagged', bearer(c.token))).status, 403);

  // An admin handles it and closes the flag: off the list, the record kept; the same news again
  // (another event id) does not reopen it.
  const path = `/admin/orders/${placed._id}/payment/flag`;
  assert.equal((await api.put(path, { resolution: 'Refunded ₹1 in the dashboard' }, bearer(c.token))).status, 403);
  const empty = await api.put(path, {}, bearer(boss.token));
  assert.equal(empty.status, 400);
  assert.equal(empty.data.error.details[0].field, 'resolution');
  const closed = await api.put(path, { resolution: 'Refunded ₹1 in the dashboard' }, bearer(boss.token));
  assert.equal(closed.status, 200, JSON.stringify(closed.data));
  assert.equal(closed.data.data.flagResolution.notes, 'Refunded ₹1 in the dashboard');
  assert.match(closed.data.data.flag, /amount mismatch/);
  assert.equal((await api.get('/admin/payments/flagged?limit=100', bearer(boss.token))).data.data.some((p) => p.orderId === placed._id), false);
  assert.equal((await api.put(path, { resolution: 'again' }, bearer(boss.token))).data.error.code, 'NOT_FLAGGED');
  assert.equal((await webhook(gateway.event('payment.captured', { payment: gateway.payments.get(short.razorpay_payment_id) }))).status, 200);
  assert.equal((await api.get('/admin/payments/flagged?limit=100', bearer(boss.token))).data.data.some((p) => p.orderId === placed._id), false);
  assert.equal((await api.put('/admin/orders/0123456789abcdef01234567/payment/flag', { resolution: 'x' }, bearer(boss.token))).status, 404);

  // A payment the gateway reports as already refunded never counts as paid either.
  const d = await customer();
  const other = await placeOnline(d);
  const gone = gateway.pay(other.payment.orderId);
  const refunded = { ...gateway.payments.get(gone.razorpay_payment_id), status: 'refunded', amount_refunded: Math.round(other.pricing.finalAmount * 100) };
  assert.equal((await webhook(gateway.event('payment.captured', { payment: refunded }))).status, 200);
  assert.equal((await order(d, other._id)).paymentStatus, 'pending');
  const flags = (await api.get('/admin/payments/flagged', bearer(boss.token))).data.data;
  assert.match(flags.find((p) => p.orderId === other._id).flag, /refunded at the gateway/);
});

test('a gateway that hangs during checkout leaves the order pending, and the app can ask again', async () => {
  const c = await customer();
  gateway.control.hangOrders = 1;
  const started = Date.now();
  const placed = await placeOnline(c);
  assert.ok(Date.now() - started < 5000, 'the timeout bounded the wait');
  assert.equal(placed.status, 'pending');
  assert.equal(placed.paymentStatus, 'pending');
  assert.equal(placed.payment.status, 'unavailable');
  assert.equal(placed.payment.retry, `POST /api/v1/orders/${placed._id}/payment`);
  const listed = await api.get('/orders', bearer(c.token));
  assert.equal(listed.data.data.length, 1, 'the order was kept');

  const first = await api.post(`/orders/${placed._id}/payment`, {}, bearer(c.token));
  assert.equal(first.status, 200, JSON.stringify(first.data));
  const second = await api.post(`/orders/${placed._id}/payment`, {}, bearer(c.token));
  assert.equal(second.data.data.orderId, first.data.data.orderId);
  const verified = await api.post(`/orders/${placed._id}/payment/verify`, gateway.pay(first.data.data.orderId), bearer(c.token));
  assert.equal(verified.status, 200, JSON.stringify(verified.data));
  assert.equal(verified.data.data.paymentStatus, 'paid');

  // While the gateway is down, asking again is a clear 503 and nothing changes.
  const d = await customer();
  gateway.control.hangOrders = 2;
  const stuck = await placeOnline(d);
  const down = await api.post(`/orders/${stuck._id}/payment`, {}, bearer(d.token));
  assert.equal(down.status, 503);
  assert.equal(down.data.error.code, 'SERVICE_ERROR');
  assert.equal((await order(d, stuck._id)).status, 'pending');
});

async function paidOrder() {
  const c = await customer();
  const placed = await placeOnline(c);
  const res = await api.post(`/orders/${placed._id}/payment/verify`, gateway.pay(placed.payment.orderId), bearer(c.token));
  assert.equal(res.status, 200, JSON.stringify(res.data));
  return { c, o: res.data.data };
}

test('an admin cancels a paid order with a partial refund: refunded only when the gateway says so, and never twice', async (t) => {
  gateway.control.refundStatus = 'pending';
  t.after(() => { gateway.control.refundStatus = 'processed'; });
  const { c, o } = await paidOrder();
  const cancel = await api.put(`/admin/orders/${o._id}`, { status: 'cancelled', notes: 'Out of saffron', refundAmount: 100 }, bearer(boss.token));
  assert.equal(cancel.status, 200, JSON.stringify(cancel.data));
  assert.equal(cancel.data.data.cancellation.refundAmount, 100);
  assert.equal(cancel.data.data.paymentStatus, 'paid');
  const call = await waitFor('the refund call', () => gateway.refundCalls().find((x) => x.path === `/v1/payments/${o.paymentDetails.transactionId}/refund`));
  assert.match(call.headers['x-refund-idempotency'], /^[0-9a-f]{24}$/);
  assert.equal(JSON.parse(call.body).amount, 10000);
  const pending = await waitFor('the refund recorded as pending', async () => {
    const r = (await api.get(`/admin/orders/${o._id}/payment`, bearer(boss.token))).data.data.refund;
    return r?.state === 'pending' && r;
  });
  assert.equal((await order(c, o._id)).paymentStatus, 'paid', 'not refunded before the gateway confirms');

  // A second cancellation, or a refund on a cancelled order, is refused; the gateway saw one refund.
  const again = await api.put(`/admin/orders/${o._id}`, { status: 'cancelled', refundAmount: 50 }, bearer(boss.token));
  assert.equal(again.status, 409);
  assert.equal(again.data.error.code, 'INVALID_STATUS_TRANSITION');

  // The gateway processes it (webhook): now refunded, and the customer is told.
  const refund = gateway.refunds.get(pending.gatewayRefundId);
  refund.status = 'processed';
  const hook = await webhook(gateway.event('refund.processed', { refund, payment: gateway.payments.get(refund.payment_id) }));
  assert.equal(hook.status, 200);
  assert.equal((await order(c, o._id)).paymentStatus, 'refunded');
  await waitFor('the refund notification', async () => (await notifications(c, 'order_update')).some((n) => n.title === 'Refund processed'));
  assert.equal(gateway.refundCalls().filter((x) => x.path === call.path).length, 1);

  // More than was paid is refused before anything is sent.
  const { c: payer, o: other } = await paidOrder();
  const tooMuch = await api.put(`/admin/orders/${other._id}`, { status: 'cancelled', refundAmount: other.pricing.finalAmount + 1 }, bearer(boss.token));
  assert.equal(tooMuch.status, 400);
  assert.equal(tooMuch.data.error.details[0].field, 'refundAmount');
  const untouched = await order(payer, other._id);
  assert.equal(untouched.status, 'confirmed');
  assert.equal(untouched.cancellation, null);
  assert.equal(gateway.refundCalls().filter((x) => x.path === `/v1/payments/${other.paymentDetails.transactionId}/refund`).length, 0);
});

test('a refund whose answers are lost is sent again by a later pass, with the same key and body, and made once', async () => {
  gateway.control.loseRefundAnswers = 2; // the call and its immediate retry both lose their answer
  const { c, o } = await paidOrder();
  const path = `/v1/payments/${o.paymentDetails.transactionId}/refund`;
  const cancel = await api.put(`/admin/orders/${o._id}`, { status: 'cancelled', notes: 'Kitchen fire' }, bearer(boss.token));
  assert.equal(cancel.status, 200, JSON.stringify(cancel.data));
  assert.equal(cancel.data.data.cancellation.refundAmount, o.pricing.finalAmount);
  await waitFor('the refund confirmed', async () => (await order(c, o._id)).paymentStatus === 'refunded');
  const calls = gateway.refundCalls().filter((x) => x.path === path);
  assert.equal(calls.length, 3, 'two lost, then one from the next pass');
  assert.equal(new Set(calls.map((x) => x.headers['x-refund-idempotency'])).size, 1);
  assert.equal(new Set(calls.map((x) => x.body)).size, 1);
  const made = [...gateway.refunds.values()].filter((r) => r.payment_id === o.paymentDetails.transactionId);
  assert.equal(made.length, 1);
  assert.equal(made[0].amount, Math.round(o.pricing.finalAmount * 100));
  const details = (await api.get(`/admin/orders/${o._id}/payment`, bearer(boss.token))).data.data.refund;
  assert.deepEqual([details.state, details.gatewayRefundId], ['processed', made[0].id]);
});

test('a webhook settles a refund while its call is still failing: the failure changes nothing, the customer is told once', async (t) => {
  gateway.control.loseRefundAnswers = 2;
  gateway.control.loseAfterMs = 700; // each lost call holds its answer this long (RAZORPAY_TIMEOUT_MS is 800)
  t.after(() => { gateway.control.loseAfterMs = 0; });
  const { c, o } = await paidOrder();
  const path = `/v1/payments/${o.paymentDetails.transactionId}/refund`;
  assert.equal((await api.put(`/admin/orders/${o._id}`, { status: 'cancelled', notes: 'Rain' }, bearer(boss.token))).status, 200);
  await waitFor('the refund call under way', () => gateway.refundCalls().some((x) => x.path === path));
  const made = [...gateway.refunds.values()].filter((r) => r.payment_id === o.paymentDetails.transactionId);
  assert.equal(made.length, 1);
  // Razorpay reports the refund (our id in its notes) before our call's answer is lost.
  assert.equal((await webhook(gateway.event('refund.processed', { refund: made[0] }))).status, 200);
  // The premise: the webhook landed while the first call was still waiting for its answer.
  assert.equal(gateway.refundCalls().filter((x) => x.path === path).length, 1, 'the webhook came too late to test the race');
  assert.equal((await order(c, o._id)).paymentStatus, 'refunded');
  const refundId = (await api.get(`/admin/orders/${o._id}/payment`, bearer(boss.token))).data.data.refund._id;
  await server.waitForLog((e) => e.msg === 'refund not sent' && e.refundId === refundId, 15_000); // the failure, recorded
  await sleep(1000); // several passes of the job: a stale write would have it sent again
  const details = (await api.get(`/admin/orders/${o._id}/payment`, bearer(boss.token))).data.data.refund;
  assert.deepEqual([details.state, details.gatewayRefundId], ['processed', made[0].id]);
  assert.equal(gateway.refundCalls().filter((x) => x.path === path).length, 2, 'never sent again');
  assert.equal((await order(c, o._id)).paymentStatus, 'refunded');
  assert.equal((await notifications(c, 'order_update')).filter((n) => n.title === 'Refund processed').length, 1);
});

test('two admins cancelling at once: one cancellation, one refund', async () => {
  const { c, o } = await paidOrder();
  const both = await Promise.all([1, 2].map(() =>
    api.put(`/admin/orders/${o._id}`, { status: 'cancelled', notes: 'No rider' }, bearer(boss.token))));
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
  await waitFor('the refund confirmed', async () => (await order(c, o._id)).paymentStatus === 'refunded');
  assert.equal(gateway.refundCalls().filter((x) => x.path === `/v1/payments/${o.paymentDetails.transactionId}/refund`).length, 1);
  assert.equal([...gateway.refunds.values()].filter((r) => r.payment_id === o.paymentDetails.transactionId).length, 1);
});

test('a customer cancels while pending and pays anyway: told so, and the money goes back', async () => {
  const c = await customer();
  const placed = await placeOnline(c);
  const cancel = await api.put(`/orders/${placed._id}/cancel`, { reason: 'Ordered twice' }, bearer(c.token));
  assert.equal(cancel.status, 200, JSON.stringify(cancel.data));
  assert.equal(cancel.data.data.cancellation.refundAmount, 0);
  const paid = gateway.pay(placed.payment.orderId);
  const verify = await api.post(`/orders/${placed._id}/payment/verify`, paid, bearer(c.token));
  assert.equal(verify.status, 409, JSON.stringify(verify.data));
  assert.equal(verify.data.error.code, 'ORDER_CANCELLED');
  const back = await waitFor('the refund confirmed', async () => {
    const o = await order(c, placed._id);
    return o.paymentStatus === 'refunded' && o;
  });
  assert.equal(back.status, 'cancelled');
  assert.equal(back.cancellation.refundAmount, placed.pricing.finalAmount);
});

test('unpaid online orders expire; a payment the webhook never reported is found first; a late payment is refunded', async () => {
  await server.stop();
  server = null;
  const { s, a, dish, admin } = await serve({ PAYMENT_EXPIRY_SECONDS: '2' });
  server = s;
  const c = await customer(a);
  const unpaid = await placeOnline(c, { a, dish });
  const quiet = await placeOnline(c, { a, dish });
  gateway.pay(quiet.payment.orderId); // paid at the gateway; no webhook, no verification
  const held = await placeOnline(c, { a, dish });
  const heldPayment = gateway.pay(held.payment.orderId, { status: 'authorized' }); // authorized late, never captured
  const unlisted = await placeOnline(c, { a, dish });
  gateway.control.unlisted.add(unlisted.payment.orderId); // the gateway's answer proves nothing either way

  const expired = await waitFor('the unpaid order cancelled', async () => {
    const o = await order(c, unpaid._id, a);
    return o.status === 'cancelled' && o;
  }, 15_000);
  assert.equal(expired.paymentStatus, 'failed');
  assert.equal(expired.cancellation.cancelledBy, 'system');
  assert.equal(expired.cancellation.refundAmount, 0);
  assert.equal(expired.statusHistory.at(-1).updatedBy, 'system');
  const found = await waitFor('the quiet payment found', async () => {
    const o = await order(c, quiet._id, a);
    return o.paymentStatus === 'paid' && o;
  });
  assert.equal(found.status, 'confirmed');
  const captured = await waitFor('the held payment captured', async () => {
    const o = await order(c, held._id, a);
    return o.paymentStatus === 'paid' && o;
  });
  assert.equal(captured.status, 'confirmed');
  assert.equal(gateway.payments.get(heldPayment.razorpay_payment_id).status, 'captured');
  const doubted = await waitFor('the unlisted order flagged', async () =>
    (await a.get('/admin/payments/flagged?limit=100', bearer(admin.token))).data.data.find((p) => p.orderId === unlisted._id));
  assert.match(doubted.flag, /would not list/);
  assert.equal((await order(c, unlisted._id, a)).status, 'pending', 'not cancelled on an answer that proves nothing');
  // Once an admin has looked and closed the flag, the order expires like any other.
  assert.equal((await a.put(`/admin/orders/${unlisted._id}/payment/flag`, { resolution: 'Checked the dashboard: unpaid' }, bearer(admin.token))).status, 200);
  const gaveUp = await waitFor('the unlisted order expired', async () => {
    const o = await order(c, unlisted._id, a);
    return o.status === 'cancelled' && o;
  });
  assert.equal(gaveUp.cancellation.cancelledBy, 'system');

  // The customer pays the expired order after all: the money goes back in full.
  const late = gateway.pay(unpaid.payment.orderId);
  const res = await webhook(gateway.event('payment.captured', { payment: gateway.payments.get(late.razorpay_payment_id) }), { a });
  assert.equal(res.status, 200);
  const back = await waitFor('the late payment refunded', async () => {
    const o = await order(c, unpaid._id, a);
    return o.paymentStatus === 'refunded' && o;
  });
  assert.equal(back.status, 'cancelled');
  assert.equal(back.cancellation.refundAmount, unpaid.pricing.finalAmount);
  const made = [...gateway.refunds.values()].filter((r) => r.payment_id === late.razorpay_payment_id);
  assert.equal(made.length, 1);
});
